import {
  NO_LIMITS,
  QUOTA_NAMES,
  SESSION_HOURS_WINDOW_DAYS,
  effectiveLimits,
  formatHours,
  quotaRefusal,
  sessionHoursUsed,
  type LaunchDemand,
  type QuotaLimits,
  type QuotaPolicy,
  type QuotaUsage,
  type SessionTime,
} from './quota';

describe('effectiveLimits', () => {
  const policy: QuotaPolicy = {
    defaults: { liveSessions: 2, cpus: 8, gpus: 0, sessionHours: 40 },
    groups: {
      'cae-users': { cpus: 32, sessionHours: 100 },
      'gpu-users': { gpus: 2, cpus: 16 },
      'gpu-heavy': { gpus: 8 },
      unlimited: { sessionHours: null },
    },
  };

  it('is no limit at all for an empty policy', () => {
    expect(effectiveLimits({ defaults: {} }, [])).toEqual(NO_LIMITS);
  });

  it("is the site's defaults for a user in no listed group", () => {
    expect(effectiveLimits(policy, [])).toEqual({ liveSessions: 2, cpus: 8, gpus: 0, sessionHours: 40 });
    expect(effectiveLimits(policy, ['staff'])).toEqual({
      liveSessions: 2,
      cpus: 8,
      gpus: 0,
      sessionHours: 40,
    });
  });

  it('leaves a quota the defaults do not mention (or leave undefined) unlimited', () => {
    expect(effectiveLimits({ defaults: { cpus: 4, gpus: undefined } }, [])).toEqual({
      liveSessions: null,
      cpus: 4,
      gpus: null,
      sessionHours: null,
    });
  });

  it("raises the quotas a user's group names and keeps the defaults for the rest", () => {
    expect(effectiveLimits(policy, ['cae-users'])).toEqual({
      liveSessions: 2,
      cpus: 32,
      gpus: 0,
      sessionHours: 100,
    });
  });

  it('gives, per quota, the most generous of several groups', () => {
    // cpus: cae-users 32 beats gpu-users 16; gpus: gpu-heavy 8 beats gpu-users 2.
    expect(effectiveLimits(policy, ['gpu-users', 'cae-users', 'gpu-heavy'])).toEqual({
      liveSessions: 2,
      cpus: 32,
      gpus: 8,
      sessionHours: 100,
    });
    // The order the groups come in does not matter.
    expect(effectiveLimits(policy, ['gpu-heavy', 'cae-users', 'gpu-users'])).toEqual(
      effectiveLimits(policy, ['gpu-users', 'cae-users', 'gpu-heavy']),
    );
  });

  it("lifts a limit when one of the user's groups sets it to null, however generous the others", () => {
    expect(effectiveLimits(policy, ['cae-users', 'unlimited']).sessionHours).toBeNull();
    expect(effectiveLimits(policy, ['unlimited', 'cae-users']).sessionHours).toBeNull();
  });

  it("lets the user's own override beat their groups, with a higher, a lower or a null value", () => {
    const groups = ['cae-users', 'gpu-users', 'unlimited'];
    expect(
      effectiveLimits(policy, groups, { cpus: 64, gpus: 1, sessionHours: 10, liveSessions: null }),
    ).toEqual({
      liveSessions: null,
      cpus: 64,
      gpus: 1,
      sessionHours: 10,
    });
  });

  it('lets a null user override lift a limit their groups set', () => {
    expect(effectiveLimits(policy, ['cae-users'], { cpus: null }).cpus).toBeNull();
  });

  it('ignores a user override left undefined', () => {
    expect(effectiveLimits(policy, ['cae-users'], { cpus: undefined })).toEqual(
      effectiveLimits(policy, ['cae-users']),
    );
  });

  it('does not change the policy it reads', () => {
    const before = JSON.stringify(policy);
    effectiveLimits(policy, ['cae-users', 'unlimited'], { gpus: 4 });
    expect(JSON.stringify(policy)).toBe(before);
  });
});

describe('sessionHoursUsed', () => {
  const HOUR = 3_600_000;
  const now = new Date('2024-06-10T12:00:00Z');
  const hoursAgo = (hours: number): Date => new Date(now.getTime() - hours * HOUR);
  const windowHours = SESSION_HOURS_WINDOW_DAYS * 24;

  const ended = (
    startedHoursAgo: number,
    endedHoursAgo: number,
    timeLimitMinutes: number | null = 480,
  ): SessionTime => ({
    live: false,
    startedAt: hoursAgo(startedHoursAgo),
    endedAt: hoursAgo(endedHoursAgo),
    timeLimitMinutes,
  });

  it('is 0 with no sessions', () => {
    expect(sessionHoursUsed([], now)).toBe(0);
  });

  it('counts the whole run of an ended session inside the window, not its time limit', () => {
    expect(sessionHoursUsed([ended(30, 27.5)], now)).toBeCloseTo(2.5, 10);
  });

  it('counts only the part inside the window of a session that straddles its start', () => {
    // Started 3 h before the window opened, ended 2 h after.
    expect(sessionHoursUsed([ended(windowHours + 3, windowHours - 2)], now)).toBeCloseTo(2, 10);
  });

  it('counts nothing for a session that ended before the window', () => {
    expect(sessionHoursUsed([ended(windowHours + 10, windowHours + 1)], now)).toBe(0);
  });

  it('counts nothing for a session that ended without starting', () => {
    expect(
      sessionHoursUsed([{ live: false, startedAt: null, endedAt: hoursAgo(1), timeLimitMinutes: 240 }], now),
    ).toBe(0);
  });

  it('counts a running session as the time it has run plus what is left of its time limit', () => {
    // Running 1.5 h of a 4 h limit: 1.5 used + 2.5 it may still use.
    const running: SessionTime = {
      live: true,
      startedAt: hoursAgo(1.5),
      endedAt: null,
      timeLimitMinutes: 240,
    };
    expect(sessionHoursUsed([running], now)).toBeCloseTo(4, 10);
  });

  it('counts a running session past its time limit as only the time it has run', () => {
    const overdue: SessionTime = { live: true, startedAt: hoursAgo(5), endedAt: null, timeLimitMinutes: 240 };
    expect(sessionHoursUsed([overdue], now)).toBeCloseTo(5, 10);
  });

  it('counts a running session that began before the window as its time inside it plus the rest of its limit', () => {
    // Started 2 h before the window with a 7 d + 10 h limit: inside the window 7 d, left 8 h.
    const long: SessionTime = {
      live: true,
      startedAt: hoursAgo(windowHours + 2),
      endedAt: null,
      timeLimitMinutes: (windowHours + 10) * 60,
    };
    expect(sessionHoursUsed([long], now)).toBeCloseTo(windowHours + 8, 10);
  });

  it('counts a queued session as its whole time limit', () => {
    const queued: SessionTime = { live: true, startedAt: null, endedAt: null, timeLimitMinutes: 90 };
    expect(sessionHoursUsed([queued], now)).toBeCloseTo(1.5, 10);
  });

  it('counts a running session with no time limit as the time it has run', () => {
    const open: SessionTime = { live: true, startedAt: hoursAgo(3), endedAt: null, timeLimitMinutes: null };
    expect(sessionHoursUsed([open], now)).toBeCloseTo(3, 10);
  });

  it('counts a queued session with no time limit as nothing', () => {
    expect(
      sessionHoursUsed([{ live: true, startedAt: null, endedAt: null, timeLimitMinutes: null }], now),
    ).toBe(0);
  });

  it('adds up all the sessions', () => {
    const sessions: SessionTime[] = [
      ended(30, 27.5), // 2.5
      ended(windowHours + 3, windowHours - 2), // 2
      ended(windowHours + 10, windowHours + 1), // 0
      { live: true, startedAt: hoursAgo(1.5), endedAt: null, timeLimitMinutes: 240 }, // 4
      { live: true, startedAt: null, endedAt: null, timeLimitMinutes: 90 }, // 1.5
      { live: true, startedAt: hoursAgo(3), endedAt: null, timeLimitMinutes: null }, // 3
    ];
    expect(sessionHoursUsed(sessions, now)).toBeCloseTo(13, 10);
  });
});

describe('quotaRefusal', () => {
  const limits: QuotaLimits = { liveSessions: 3, cpus: 16, gpus: 2, sessionHours: 40 };
  const usage = (over: Partial<QuotaUsage> = {}): QuotaUsage => ({
    liveSessions: 0,
    cpus: 0,
    gpus: 0,
    sessionHours: 0,
    ...over,
  });
  const demand = (over: Partial<LaunchDemand> = {}): LaunchDemand => ({
    cpus: 4,
    gpus: 0,
    hours: 4,
    ...over,
  });

  it('is null when the launch fits every limit', () => {
    expect(
      quotaRefusal(limits, usage({ liveSessions: 1, cpus: 4, gpus: 1, sessionHours: 10 }), demand()),
    ).toBeNull();
  });

  it('passes a launch that brings each quota exactly to its limit', () => {
    expect(
      quotaRefusal(
        limits,
        usage({ liveSessions: 2, cpus: 12, gpus: 1, sessionHours: 36 }),
        demand({ cpus: 4, gpus: 1, hours: 4 }),
      ),
    ).toBeNull();
  });

  it('never refuses on a quota without a limit', () => {
    const huge = usage({ liveSessions: 1000, cpus: 10_000, gpus: 500, sessionHours: 1e6 });
    expect(quotaRefusal(NO_LIMITS, huge, demand({ cpus: 512, gpus: 64, hours: 1000 }))).toBeNull();
  });

  it('refuses a session over the live-sessions limit, and says how to get one', () => {
    expect(quotaRefusal(limits, usage({ liveSessions: 3 }), demand())).toEqual({
      quota: 'liveSessions',
      used: 3,
      limit: 3,
      message: 'You have 3 sessions running or waiting; the limit is 3. Stop one to start another.',
    });
  });

  it('says "1 session" in the singular', () => {
    expect(
      quotaRefusal({ ...NO_LIMITS, liveSessions: 1 }, usage({ liveSessions: 1 }), demand())?.message,
    ).toBe('You have 1 session running or waiting; the limit is 1. Stop one to start another.');
  });

  it('refuses CPUs over the limit, and says how many it may ask for', () => {
    expect(quotaRefusal(limits, usage({ liveSessions: 1, cpus: 12 }), demand({ cpus: 8 }))).toEqual({
      quota: 'cpus',
      used: 12,
      limit: 16,
      message:
        'Your sessions hold 12 CPUs and this one asks for 8; the limit is 16. Ask for at most 4, or stop a session first.',
    });
  });

  it('refuses GPUs over the limit, in the singular for one held', () => {
    expect(quotaRefusal(limits, usage({ liveSessions: 1, cpus: 4, gpus: 1 }), demand({ gpus: 2 }))).toEqual({
      quota: 'gpus',
      used: 1,
      limit: 2,
      message:
        'Your sessions hold 1 GPU and this one asks for 2; the limit is 2. Ask for at most 1, or stop a session first.',
    });
  });

  it('says to ask for at most 0 when a resource is already at its limit', () => {
    expect(quotaRefusal(limits, usage({ gpus: 2 }), demand({ gpus: 1 }))?.message).toBe(
      'Your sessions hold 2 GPUs and this one asks for 1; the limit is 2. Ask for at most 0, or stop a session first.',
    );
  });

  it('does not refuse on a resource the launch does not ask for, even when already over its limit', () => {
    // The site lowered the GPU limit below what the user holds: a CPU-only session still fits.
    expect(quotaRefusal({ ...limits, gpus: 1 }, usage({ gpus: 2 }), demand({ gpus: 0 }))).toBeNull();
    expect(quotaRefusal({ ...limits, gpus: 0 }, usage(), demand({ gpus: 0 }))).toBeNull();
    expect(quotaRefusal({ ...limits, gpus: 0 }, usage(), demand({ gpus: 1 }))?.quota).toBe('gpus');
  });

  it('refuses session-hours over the limit, and says how long a session may ask for', () => {
    expect(quotaRefusal(limits, usage({ sessionHours: 37.5 }), demand({ hours: 8 }))).toEqual({
      quota: 'sessionHours',
      used: 37.5,
      limit: 40,
      message:
        'Your sessions of the last 7 days, with the time your live ones may still run, come to 37.5 h of your 40 h; ' +
        'this session asks for 8 h. Ask for at most 2.5 h, or wait.',
    });
  });

  it('gives what is left of the session-hours in minutes when under an hour', () => {
    expect(quotaRefusal(limits, usage({ sessionHours: 39.5 }), demand({ hours: 2 }))?.message).toBe(
      'Your sessions of the last 7 days, with the time your live ones may still run, come to 39.5 h of your 40 h; ' +
        'this session asks for 2 h. Ask for at most 30 min, or wait.',
    );
  });

  it('says to wait when less than a minute of session-hours is left', () => {
    expect(quotaRefusal(limits, usage({ sessionHours: 40 }), demand({ hours: 0.5 }))?.message).toBe(
      'Your sessions of the last 7 days, with the time your live ones may still run, come to 40 h of your 40 h; ' +
        'this session asks for 30 min. Wait for older sessions to leave the window.',
    );
    expect(quotaRefusal(limits, usage({ sessionHours: 41 }), demand({ hours: 1 }))?.message).toMatch(
      /Wait for older sessions to leave the window\.$/,
    );
  });

  it('checks the quotas in order, live sessions first, and names only the first one over', () => {
    const allOver = usage({ liveSessions: 3, cpus: 16, gpus: 2, sessionHours: 40 });
    const greedy = demand({ cpus: 1, gpus: 1, hours: 1 });
    expect(quotaRefusal(limits, allOver, greedy)?.quota).toBe('liveSessions');
    expect(quotaRefusal({ ...limits, liveSessions: null }, allOver, greedy)?.quota).toBe('cpus');
    expect(quotaRefusal({ ...limits, liveSessions: null, cpus: null }, allOver, greedy)?.quota).toBe('gpus');
    expect(quotaRefusal({ ...NO_LIMITS, sessionHours: 40 }, allOver, greedy)?.quota).toBe('sessionHours');
  });

  it.each(QUOTA_NAMES)('lifting only %s lets a launch over the others still be refused on them', (name) => {
    const allOver = usage({ liveSessions: 3, cpus: 16, gpus: 2, sessionHours: 40 });
    const refusal = quotaRefusal(
      { ...limits, [name]: null },
      allOver,
      demand({ cpus: 1, gpus: 1, hours: 1 }),
    );
    expect(refusal).not.toBeNull();
    expect(refusal?.quota).not.toBe(name);
  });
});

describe('formatHours', () => {
  it.each<[number, string]>([
    [2.5, '2.5 h'],
    [1, '1 h'],
    [40, '40 h'],
    [1.25, '1.3 h'],
    [1.96, '2 h'],
    [0.25, '15 min'],
    [0.5, '30 min'],
    [0.999, '59 min'],
    [0, '0 min'],
  ])('%d → "%s"', (hours, text) => {
    expect(formatHours(hours)).toBe(text);
  });
});
