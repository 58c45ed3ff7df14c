// Idle auto-stop: when a running desktop nobody uses is warned and then stopped. Two clocks, each
// off at 0: no VNC client connected (the common case: a tab closed and forgotten), and no input
// from any client (a tab left open on a screen nobody looks at; longer, since watching is use).
// Each clock starts at the latest of: the desktop being ready, the last activity of its kind, the
// owner's "keep it", and `watchedSince` (the API's start: a portal that was down could not see
// anyone connect, so its downtime is never counted against a session).
import type { Session } from './session';
import { formatDuration } from './session-view';

export interface IdleLimits {
  /** Minutes without a connected VNC client before the session is stopped; 0: never. */
  disconnectedMinutes: number;
  /** Minutes without keyboard, mouse or clipboard input before it is stopped; 0: never. */
  noInputMinutes: number;
  /** How long before the stop the owner is warned. */
  warningMinutes: number;
}

export const DEFAULT_IDLE_LIMITS: Readonly<IdleLimits> = Object.freeze({
  disconnectedMinutes: 120,
  noInputMinutes: 0,
  warningMinutes: 10,
});

/** What the API knows beyond the session: whether a client is connected now, and since when it watches. */
export interface IdleWatch {
  connected: boolean;
  watchedSince: Date;
}

export type IdleSession = Pick<
  Session,
  'state' | 'readyAt' | 'startedAt' | 'lastViewedAt' | 'lastInputAt' | 'keptAt'
>;

export type IdleCause = 'disconnected' | 'no-input';

export type IdleVerdict =
  | { kind: 'active' }
  /** `stopAt` is when the session will be stopped; `reason` the sentence it will end with. */
  | { kind: 'warn' | 'stop'; cause: IdleCause; stopAt: Date; reason: string };

interface Clock {
  cause: IdleCause;
  stopAt: Date;
  minutes: number;
}

/** The verdict on a session at `now`: only a running one can be idle. */
export function idleVerdict(
  session: IdleSession,
  watch: IdleWatch,
  limits: IdleLimits,
  now: Date,
): IdleVerdict {
  if (session.state !== 'running') return { kind: 'active' };
  const began = latest(session.readyAt ?? session.startedAt, session.keptAt, watch.watchedSince);
  const clocks: Clock[] = [];
  if (limits.disconnectedMinutes > 0 && !watch.connected)
    clocks.push(clock('disconnected', latest(began, session.lastViewedAt), limits.disconnectedMinutes));
  if (limits.noInputMinutes > 0)
    clocks.push(clock('no-input', latest(began, session.lastInputAt), limits.noInputMinutes));
  const first = clocks.sort((a, b) => a.stopAt.getTime() - b.stopAt.getTime())[0];
  if (!first) return { kind: 'active' };
  const untilStop = first.stopAt.getTime() - now.getTime();
  const reason = idleStopReason(first.cause, first.minutes);
  if (untilStop <= 0) return { kind: 'stop', cause: first.cause, stopAt: first.stopAt, reason };
  if (untilStop <= limits.warningMinutes * 60_000)
    return { kind: 'warn', cause: first.cause, stopAt: first.stopAt, reason };
  return { kind: 'active' };
}

/** The sentence an idle-stopped session ends with, e.g. "Stopped after 2 h without a connection." */
export function idleStopReason(cause: IdleCause, minutes: number): string {
  return cause === 'disconnected'
    ? `Stopped after ${formatDuration(minutes)} without a connection.`
    : `Stopped after ${formatDuration(minutes)} without keyboard or mouse input.`;
}

function clock(cause: IdleCause, since: Date, minutes: number): Clock {
  return { cause, stopAt: new Date(since.getTime() + minutes * 60_000), minutes };
}

function latest(...dates: (Date | null)[]): Date {
  const times = dates.filter((date): date is Date => date !== null).map((date) => date.getTime());
  return new Date(Math.max(...times));
}
