import { extensionRefusal, type ExtensionLimits } from './extension';

const LIMITS: ExtensionLimits = { partitionMaxMinutes: 480, siteMaxMinutes: 240 };
const running = { state: 'running' as const, timeLimitMinutes: 60, extendedMinutes: 0 };

describe('extensionRefusal', () => {
  it('lets a running session have more time within both limits, up to each exactly', () => {
    expect(extensionRefusal(running, 60, LIMITS)).toBeNull();
    expect(extensionRefusal(running, 240, LIMITS)).toBeNull();
    expect(extensionRefusal({ ...running, timeLimitMinutes: 420 }, 60, LIMITS)).toBeNull();
    expect(extensionRefusal(running, 60, { ...LIMITS, partitionMaxMinutes: null })).toBeNull();
  });

  it('refuses past the partition MaxTime, saying how much is left', () => {
    expect(extensionRefusal({ ...running, timeLimitMinutes: 450 }, 60, LIMITS)).toBe(
      'Its partition allows at most 8 h; this session has 7 h 30 min, so 30 min more at most.',
    );
    expect(extensionRefusal({ ...running, timeLimitMinutes: 480 }, 30, LIMITS)).toBe(
      'Its partition allows at most 8 h, which this session already has.',
    );
  });

  it("refuses past the site's most for one session, counting what was added before", () => {
    expect(extensionRefusal({ ...running, extendedMinutes: 180 }, 120, LIMITS)).toBe(
      'Your site lets a session be extended by 4 h in all; this one has had 3 h, so 1 h more at most.',
    );
    expect(extensionRefusal({ ...running, extendedMinutes: 240 }, 30, LIMITS)).toBe(
      'Your site lets a session be extended by 4 h in all, and this one has had all of it.',
    );
  });

  it('refuses when the site has Extend off, and for a session not running or without a limit', () => {
    expect(extensionRefusal(running, 30, { ...LIMITS, siteMaxMinutes: 0 })).toBe(
      'Your site does not let sessions be extended.',
    );
    expect(extensionRefusal({ ...running, state: 'queued' }, 30, LIMITS)).toBe(
      'Only a running session can be extended; this one is queued.',
    );
    expect(extensionRefusal({ ...running, timeLimitMinutes: null }, 30, LIMITS)).toBe(
      'This session has no time limit to extend.',
    );
  });
});
