// The session state machine: transition() folds one observation into a session, purely.
// Every change the API saves and emits comes from here, so the rules live in one place:
// ARCHITECTURE.md "Session states" is the spec, and transition.spec.ts walks it case by case.
import type {
  EndMarkerObservation,
  JobNotListedObservation,
  Observation,
  ReadinessObservation,
  SlurmJobObservation,
} from './observation';
import { type EndReason, type Session } from './session';
import { type SessionState, type TerminalSessionState, isTerminal } from './session-state';

export interface TransitionRules {
  /** How long a job may be missing from Slurm (and leave no end marker) before the session ends 'vanished'. */
  vanishGraceMs: number;
  /** How long a RUNNING job may take to report readiness before the session ends 'readiness-timeout'. */
  readinessTimeoutMs: number;
}

export const DEFAULT_TRANSITION_RULES: Readonly<TransitionRules> = Object.freeze({
  // Several poller ticks: one missed squeue answer must never end a session.
  vanishGraceMs: 2 * 60_000,
  // Xvnc is up within seconds; a container image on a cold node can take a few minutes.
  readinessTimeoutMs: 5 * 60_000,
});

/** Every field the state machine may change; updatedAt follows any of them. */
export type SessionField = Exclude<keyof Session, 'updatedAt'>;

export type SessionEvent =
  | { type: 'state-changed'; from: SessionState; to: SessionState }
  /** Same state, but something the user sees or the poller relies on changed (reason, node, expected start, …). */
  | { type: 'details-changed'; fields: SessionField[] };

export interface TransitionResult {
  /** The input object itself when nothing changed. */
  session: Session;
  /** Empty exactly when nothing changed: the API saves and emits only when it is not. */
  events: SessionEvent[];
}

interface Ending {
  state: TerminalSessionState;
  reason: EndReason;
}

/**
 * Terminal Slurm base states. COMPLETED means exit code 0 in Slurm (a nonzero exit is FAILED),
 * so COMPLETED always ends 'completed', whatever exit code came with it.
 */
const SLURM_ENDINGS: Readonly<Record<string, Ending>> = {
  COMPLETED: { state: 'completed', reason: 'app-exited' },
  FAILED: { state: 'failed', reason: 'failed' },
  CANCELLED: { state: 'cancelled', reason: 'cancelled' },
  TIMEOUT: { state: 'timed_out', reason: 'time-limit' },
  NODE_FAIL: { state: 'failed', reason: 'node-failure' },
  PREEMPTED: { state: 'failed', reason: 'preempted' },
  BOOT_FAIL: { state: 'failed', reason: 'boot-failure' },
  DEADLINE: { state: 'failed', reason: 'deadline' },
  OUT_OF_MEMORY: { state: 'failed', reason: 'out-of-memory' },
};

/** What the session says when its desktop never started; the session log has the wrapper's own words. */
const MARKER_FAILURE_MESSAGES: Record<'xvnc-failed' | 'setup-failed', string> = {
  'xvnc-failed':
    'The desktop could not start on the node: no free VNC display, or the VNC server (Xvnc) failed. The session log says more.',
  'setup-failed':
    'The node lacks something a desktop needs (its address, a temporary folder or vncpasswd). The session log says more.',
};

/**
 * Slurm signals a job at its time limit and the wrapper writes its marker a moment later; the
 * node's and the controller's clocks may also differ by a little. A minute covers both.
 */
const TIME_LIMIT_SLACK_MS = 60_000;

export function transition(
  session: Session,
  observation: Observation,
  rules: TransitionRules = DEFAULT_TRANSITION_RULES,
): TransitionResult {
  // A terminal session is a record of what happened; nothing observed later rewrites it.
  if (isTerminal(session.state)) return { session, events: [] };
  return settle(session, next(session, observation, rules), observation.at);
}

/** For the poller: a session has waited too long for its readiness report. */
export function needsReadinessTimeout(
  session: Session,
  now: Date,
  rules: TransitionRules = DEFAULT_TRANSITION_RULES,
): boolean {
  // startedAt is Slurm's start time; Slurm resets it when a node finishes booting (CONFIGURING).
  return (
    session.state === 'starting' &&
    session.startedAt !== null &&
    now.getTime() - session.startedAt.getTime() > rules.readinessTimeoutMs
  );
}

function next(session: Session, observation: Observation, rules: TransitionRules): Session {
  switch (observation.kind) {
    case 'submitted':
      // Later duplicates (a retried submit that found its token) change nothing.
      if (session.jobId !== null) return session;
      // A slow sbatch answer can arrive after the job's own readiness report: keep the job id.
      return session.state === 'submitting'
        ? { ...session, state: 'queued', jobId: observation.jobId }
        : { ...session, jobId: observation.jobId };
    case 'submit-rejected':
      return session.state === 'submitting'
        ? end(session, 'failed', 'rejected', observation.at, {
            message: observation.message.trim() || 'Slurm rejected the job.',
          })
        : session;
    case 'slurm-job':
      return fromSlurmJob(session, observation);
    case 'job-not-listed':
      return fromNotListed(session, observation, rules);
    case 'end-marker':
      return fromEndMarker(session, observation);
    case 'readiness':
      return fromReadiness(session, observation);
    case 'scheduler-unreachable':
      // Not knowing is not news: the session keeps its state until Slurm answers again.
      return session;
    case 'user-stop':
      return end(session, 'cancelled', 'cancelled-by-user', observation.at);
    case 'time-extended':
      // Only a job still running can have been given more time; a late answer changes nothing.
      return session.state === 'running'
        ? {
            ...session,
            timeLimitMinutes: observation.timeLimitMinutes,
            extendedMinutes: session.extendedMinutes + observation.addedMinutes,
          }
        : session;
    // Only a running desktop can be viewed or kept. Someone using it withdraws any idle warning
    // (the idle check warns again if a clock still runs out).
    case 'viewed':
      return session.state === 'running'
        ? { ...session, lastViewedAt: observation.at, idleWarning: null }
        : session;
    case 'input':
      return session.state === 'running'
        ? { ...session, lastInputAt: observation.at, idleWarning: null }
        : session;
    case 'idle-kept':
      return session.state === 'running'
        ? { ...session, keptAt: observation.at, idleWarning: null }
        : session;
    case 'idle-warning':
      return session.state === 'running'
        ? { ...session, idleWarning: { stopAt: observation.stopAt, reason: observation.reason } }
        : session;
    case 'idle-stop':
      return session.state === 'running'
        ? end(session, 'cancelled', 'idle', observation.at, {
            message: observation.reason,
            idleWarning: null,
          })
        : session;
    case 'readiness-timeout':
      return session.state === 'starting'
        ? end(session, 'failed', 'readiness-timeout', observation.at, {
            message: observation.logTail.trim() || null,
          })
        : session;
    default: {
      // Callers outside the type system (a stored or queued observation) may send kinds we don't know.
      const unknown: never = observation;
      void unknown;
      return session;
    }
  }
}

function fromSlurmJob(session: Session, job: SlurmJobObservation): Session {
  const base = job.state.base.toUpperCase();
  const flags = job.state.flags.map((flag) => flag.toUpperCase());
  const slurm = { state: job.state.base, flags: [...job.state.flags], reason: job.reason };

  const ending = SLURM_ENDINGS[base];
  if (ending) {
    // Keep what we knew when the final report leaves a field out (e.g. a job cancelled while pending has no node).
    return end(session, ending.state, ending.reason, job.endedAt ?? job.at, {
      slurm,
      node: job.node ?? session.node,
      startedAt: job.startedAt ?? session.startedAt,
      timeLimitMinutes: job.timeLimitMinutes ?? session.timeLimitMinutes,
      exitCode: job.exitCode ?? session.exitCode,
    });
  }

  // A poll answered before readiness arrived is older news than the readiness: it must not undo it
  // (the poller should stamp `at` with the time it sent the query).
  if (session.readyAt !== null && job.at.getTime() <= session.readyAt.getTime()) return session;

  // PENDING after readiness, or a later start time, means Slurm requeued the job: the old desktop is gone.
  const restarted =
    base === 'PENDING' ||
    (session.startedAt !== null &&
      job.startedAt !== null &&
      job.startedAt.getTime() > session.startedAt.getTime());
  const readyAt = restarted ? null : session.readyAt;
  const endpoint = restarted ? null : session.endpoint;

  return {
    ...session,
    state: liveState(base, flags, session.state, readyAt !== null),
    slurm,
    node: job.node,
    expectedStartAt: job.expectedStartAt,
    startedAt: job.startedAt,
    timeLimitMinutes: job.timeLimitMinutes,
    readyAt,
    endpoint,
    notListedSince: null,
  };
}

function liveState(base: string, flags: string[], current: SessionState, ready: boolean): SessionState {
  if (base === 'PENDING') return 'queued';
  if (base === 'RUNNING') {
    if (ready) return 'running';
    // Allocated, but the node is still booting or being set up: to the user it is still waiting.
    return flags.includes('CONFIGURING') ? 'queued' : 'starting';
  }
  // SUSPENDED, or a state this code doesn't know: keep the state (the record shows Slurm's word),
  // except that a job Slurm lists has certainly left 'submitting', and a restarted job is no longer ready.
  if (current === 'submitting') return 'queued';
  return current === 'running' && !ready ? 'starting' : current;
}

function fromNotListed(
  session: Session,
  observation: JobNotListedObservation,
  rules: TransitionRules,
): Session {
  // A submitting session has no job yet to miss; sbatch's answer (or its rejection) settles it.
  if (session.state === 'submitting') return session;
  if (session.notListedSince === null) return { ...session, notListedSince: observation.at };
  const missingMs = observation.at.getTime() - session.notListedSince.getTime();
  if (missingMs < rules.vanishGraceMs) return session;
  // The job was gone by the first miss; that is the best end time we have.
  return end(session, 'completed', 'vanished', session.notListedSince);
}

/**
 * The job's own end.json, read when Slurm no longer remembers the job:
 * - reason 'terminated' (the wrapper caught SIGTERM): timed_out 'time-limit' when the time limit
 *   had run out by then, else cancelled 'terminated' (a stop through the portal has already
 *   ended the session as 'cancelled-by-user', so this was someone else: an admin, preemption);
 * - exit code 0 (or no code with reason 'app-exited'): completed 'app-exited';
 * - anything else: failed, with the marker's reason when it is a known failure code, else 'failed'
 *   and the marker's words kept in the message.
 */
function fromEndMarker(session: Session, marker: EndMarkerObservation): Session {
  const endedAt = marker.endedAt ?? marker.at;
  const exitCode = marker.exitCode;
  switch (marker.reason) {
    case 'time-limit':
      return end(session, 'timed_out', 'time-limit', endedAt, { exitCode });
    case 'terminated':
      // The wrapper's clock may fall a few seconds short of Slurm's: ours has the last word.
      return timeLimitReached(session, endedAt)
        ? end(session, 'timed_out', 'time-limit', endedAt, { exitCode })
        : end(session, 'cancelled', 'terminated', endedAt, { exitCode });
    case 'app-exited':
      return exitCode === 0 || exitCode === null
        ? end(session, 'completed', 'app-exited', endedAt, { exitCode })
        : end(session, 'failed', 'failed', endedAt, { exitCode, message: null });
    case 'xvnc-failed':
    case 'setup-failed':
      return end(session, 'failed', 'failed', endedAt, {
        exitCode,
        message: MARKER_FAILURE_MESSAGES[marker.reason],
      });
    default: {
      // A marker read from a file may hold a reason this version does not know.
      const unknown: never = marker.reason;
      return end(session, 'failed', 'failed', endedAt, {
        exitCode,
        message: `The job reported: ${String(unknown)}`,
      });
    }
  }
}

function timeLimitReached(session: Session, at: Date): boolean {
  if (session.startedAt === null || session.timeLimitMinutes === null) return false;
  const limitEndsAt = session.startedAt.getTime() + session.timeLimitMinutes * 60_000;
  return at.getTime() >= limitEndsAt - TIME_LIMIT_SLACK_MS;
}

function fromReadiness(session: Session, readiness: ReadinessObservation): Session {
  const endpoint = { port: readiness.port, display: readiness.display };
  // A repeated report may name a new port (the wrapper restarted its VNC server); the first one dates readiness.
  if (session.state === 'running') return { ...session, endpoint, notListedSince: null };
  // Readiness may beat the poller: the job's callback can arrive before squeue shows RUNNING.
  return { ...session, state: 'running', readyAt: readiness.at, endpoint, notListedSince: null };
}

function end(
  session: Session,
  state: TerminalSessionState,
  reason: EndReason,
  endedAt: Date,
  extra: Partial<Session> = {},
): Session {
  // The endpoint is dropped so nothing can dial a desktop that is gone.
  return { ...session, state, endReason: reason, endedAt, endpoint: null, notListedSince: null, ...extra };
}

function settle(before: Session, after: Session, at: Date): TransitionResult {
  if (after === before) return { session: before, events: [] };
  const fields = changedFields(before, after);
  if (fields.length === 0) return { session: before, events: [] };
  const updatedAt = at.getTime() > before.updatedAt.getTime() ? at : before.updatedAt;
  const session = { ...after, updatedAt };
  const events: SessionEvent[] =
    before.state !== after.state
      ? [{ type: 'state-changed', from: before.state, to: after.state }]
      : [{ type: 'details-changed', fields }];
  return { session, events };
}

function changedFields(before: Session, after: Session): SessionField[] {
  return (Object.keys(after) as (keyof Session)[]).filter(
    (key): key is SessionField => key !== 'updatedAt' && !sameValue(before[key], after[key]),
  );
}

/** Structural equality for the plain data a Session holds: primitives, Dates, arrays and records. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const aKeys = Object.keys(a);
    const bRecord = b as Record<string, unknown>;
    return (
      aKeys.length === Object.keys(b).length &&
      aKeys.every((key) => sameValue((a as Record<string, unknown>)[key], bRecord[key]))
    );
  }
  return false;
}
