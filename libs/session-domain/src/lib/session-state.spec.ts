import {
  LIVE_SESSION_STATES,
  SESSION_STATES,
  TERMINAL_SESSION_STATES,
  isLive,
  isSessionState,
  isTerminal,
} from './session-state';

describe('session states', () => {
  it('lists all eight states in life order', () => {
    expect(SESSION_STATES).toEqual([
      'submitting',
      'queued',
      'starting',
      'running',
      'completed',
      'failed',
      'cancelled',
      'timed_out',
    ]);
  });

  it.each(SESSION_STATES)('%s is either live or terminal, never both', (state) => {
    expect(isLive(state)).toBe(!isTerminal(state));
    expect(isLive(state)).toBe((LIVE_SESSION_STATES as readonly string[]).includes(state));
    expect(isTerminal(state)).toBe((TERMINAL_SESSION_STATES as readonly string[]).includes(state));
  });

  it('recognises states read from storage', () => {
    expect(isSessionState('running')).toBe(true);
    expect(isSessionState('RUNNING')).toBe(false);
    expect(isSessionState(undefined)).toBe(false);
  });
});
