// The states a session moves through, and the two families they fall into (live, terminal).
// The order of SESSION_STATES follows a session's life, so it also sorts cards sensibly.

export const LIVE_SESSION_STATES = ['submitting', 'queued', 'starting', 'running'] as const;
export const TERMINAL_SESSION_STATES = ['completed', 'failed', 'cancelled', 'timed_out'] as const;
export const SESSION_STATES = [...LIVE_SESSION_STATES, ...TERMINAL_SESSION_STATES] as const;

export type LiveSessionState = (typeof LIVE_SESSION_STATES)[number];
export type TerminalSessionState = (typeof TERMINAL_SESSION_STATES)[number];
export type SessionState = LiveSessionState | TerminalSessionState;

/** For values read back from storage or the wire, where the type system can't vouch for them. */
export function isSessionState(value: unknown): value is SessionState {
  return typeof value === 'string' && (SESSION_STATES as readonly string[]).includes(value);
}

/** A live session may still change: the poller watches it and the user may stop it. */
export function isLive(state: SessionState): state is LiveSessionState {
  return (LIVE_SESSION_STATES as readonly string[]).includes(state);
}

/** A terminal session never changes again; only deleting it removes it. */
export function isTerminal(state: SessionState): state is TerminalSessionState {
  return (TERMINAL_SESSION_STATES as readonly string[]).includes(state);
}
