// The contract between the API and the web app: what GET /api/sessions/:id returns and what the
// socket's 'session.updated' carries (the same shape, built by the same function). Dates are ISO strings.
import type { EndReason, Session, SessionValues } from './session';
import { isLive, type SessionState } from './session-state';
import { describeSession } from './session-view';

export interface SessionDto {
  id: string;
  appId: string;
  appTitle: string;
  owner: string;
  state: SessionState;
  values: SessionValues;
  jobId: string | null;
  node: string | null;
  /** Slurm's raw base state ('PENDING', …) and flags, for the curious and for support. */
  slurmState: string | null;
  slurmFlags: string[];
  slurmReason: string | null;
  createdAt: string;
  updatedAt: string;
  /** Slurm's estimate, only while queued. */
  expectedStartAt: string | null;
  startedAt: string | null;
  readyAt: string | null;
  endedAt: string | null;
  timeLimitMinutes: number | null;
  /** What Extend has added to the time limit so far, in minutes. */
  extendedMinutes: number;
  timeLeftMinutes: number | null;
  /**
   * When the user is warned that the time limit is near (the site's SESSION_TIME_WARNING_MINUTES
   * before it); null unless running with a limit longer than the warning.
   */
  timeWarningAt: string | null;
  /**
   * The idle stop the owner is warned of: when (ISO) and the sentence the session will end with.
   * Null unless the site's idle limit is near; POST /api/sessions/:id/keep withdraws it.
   */
  idleStop: { at: string; reason: string } | null;
  exitCode: number | null;
  endReason: EndReason | null;
  /** Slurm's rejection, the output log's tail, …: may span several lines. */
  message: string | null;
  headline: string;
  detail: string | null;
  /** The desktop can be opened: readiness has arrived and the session is still running. */
  canConnect: boolean;
  canStop: boolean;
  /** Only an ended session may be deleted; a live one is stopped first. */
  canDelete: boolean;
  /** A running job with a known time limit: Extend may ask Slurm for more time. */
  canExtend: boolean;
}

/**
 * What GET /api/sessions returns: the first page holds every live session of the user (an admin:
 * everyone's) and then the most recent ended ones; a page read with `before` holds only older ended
 * ones. Newest first (createdAt, then id), like the web app shows them.
 */
export interface SessionListDto {
  sessions: SessionDto[];
  /** Pass as `before` to read the next, older page of ended sessions; null when there is none. */
  nextBefore: string | null;
}

/** Whether the portal can reach Slurm; sent on the socket whenever it changes, and part of health. */
export interface SchedulerStatusDto {
  reachable: boolean;
  /** Since when the current answer holds (ISO). */
  since: string;
  /** Why Slurm is unreachable (the client's error), null while it answers. */
  message: string | null;
}

/** Socket.IO event names and payloads, server to client (use as socket.io's ServerToClientEvents). */
export interface SessionSocketEvents {
  'session.updated': (session: SessionDto) => void;
  'session.removed': (removed: { id: string }) => void;
  'scheduler.status': (status: SchedulerStatusDto) => void;
  'session.viewers': (viewers: SessionViewersDto) => void;
}
export const SESSION_UPDATED_EVENT = 'session.updated' satisfies keyof SessionSocketEvents;
export const SESSION_REMOVED_EVENT = 'session.removed' satisfies keyof SessionSocketEvents;
export const SCHEDULER_STATUS_EVENT = 'scheduler.status' satisfies keyof SessionSocketEvents;
export const SESSION_VIEWERS_EVENT = 'session.viewers' satisfies keyof SessionSocketEvents;

/** One browser connected to a desktop through the portal's VNC proxy. */
export interface VncViewerDto {
  username: string;
  /** ISO 8601: when the proxy opened the connection. */
  openedAt: string;
}

/**
 * Who has a session's desktop open now, sent whenever a proxy connection opens or closes (an empty
 * list: nobody), and for every session with viewers when a socket connects.
 */
export interface SessionViewersDto {
  id: string;
  viewers: VncViewerDto[];
}

/** `now` feeds the time left and the expected-start words, so the API passes the time it sends. */
/** How the API presents sessions: the site's settings that shape the DTO. */
export interface SessionDtoRules {
  /** Minutes before the time limit that the user is warned (timeWarningAt); 0: never. */
  timeWarningMinutes: number;
}

export const DEFAULT_SESSION_DTO_RULES: SessionDtoRules = { timeWarningMinutes: 10 };

export function toSessionDto(
  session: Session,
  now: Date,
  rules: SessionDtoRules = DEFAULT_SESSION_DTO_RULES,
): SessionDto {
  const view = describeSession(session, now);
  const live = isLive(session.state);
  return {
    id: session.id,
    appId: session.appId,
    appTitle: session.appTitle,
    owner: session.owner,
    state: session.state,
    values: { ...session.values },
    jobId: session.jobId,
    node: session.node,
    slurmState: session.slurm?.state ?? null,
    slurmFlags: session.slurm ? [...session.slurm.flags] : [],
    slurmReason: session.slurm?.reason ?? null,
    createdAt: session.createdAt.toISOString(),
    updatedAt: session.updatedAt.toISOString(),
    expectedStartAt: iso(view.expectedStartAt),
    startedAt: iso(session.startedAt),
    readyAt: iso(session.readyAt),
    endedAt: iso(session.endedAt),
    timeLimitMinutes: session.timeLimitMinutes,
    extendedMinutes: session.extendedMinutes,
    timeLeftMinutes: view.timeLeftMinutes,
    timeWarningAt: iso(timeWarningAt(session, rules.timeWarningMinutes)),
    idleStop:
      session.idleWarning && session.state === 'running'
        ? { at: session.idleWarning.stopAt.toISOString(), reason: session.idleWarning.reason }
        : null,
    exitCode: session.exitCode,
    endReason: session.endReason,
    message: session.message,
    headline: view.headline,
    detail: view.detail,
    // The proxy dials the node's address, so a desktop is reachable only once its node is known.
    canConnect: session.state === 'running' && session.endpoint !== null && session.node !== null,
    canStop: live,
    canDelete: !live,
    canExtend: session.state === 'running' && session.jobId !== null && session.timeLimitMinutes !== null,
  };
}

/** A limit no longer than the warning was the user's own choice a moment ago: nothing to warn of. */
function timeWarningAt(session: Session, warningMinutes: number): Date | null {
  const { state, startedAt, timeLimitMinutes } = session;
  if (state !== 'running' || !startedAt || timeLimitMinutes === null || warningMinutes <= 0) return null;
  if (timeLimitMinutes <= warningMinutes) return null;
  return new Date(startedAt.getTime() + (timeLimitMinutes - warningMinutes) * 60_000);
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
