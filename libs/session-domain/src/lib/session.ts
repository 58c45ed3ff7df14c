// The Session: one launch of one app by one user, as plain data. Only transition() changes it;
// the API persists it and the web app never sees it directly (it gets a SessionDto).
import type { SessionState } from './session-state';

/** The user's validated form choices, as the app's manifest names them. */
export type SessionValues = Record<string, string | number | boolean>;

/** Why a session ended: a short, stable code the UI turns into words. */
export const END_REASONS = [
  'app-exited', // the app (or its job) exited by itself with code 0
  'cancelled-by-user', // the owner stopped it through the portal
  'idle', // the portal stopped it after the site's idle limit; the message says which
  'cancelled', // Slurm reports CANCELLED, but not because of a stop we saw (an admin, or a race with ours)
  'terminated', // the job's end marker says it was signalled, and Slurm no longer remembers why
  'node-failure',
  'time-limit',
  'out-of-memory',
  'rejected', // sbatch refused the job; the message holds Slurm's words
  'readiness-timeout', // the job ran but the desktop never reported ready; the message holds the log tail
  'vanished', // Slurm forgot the job and it left no end marker
  'preempted',
  'boot-failure',
  'deadline',
  'failed', // any other failure, usually a nonzero exit code
] as const;
export type EndReason = (typeof END_REASONS)[number];

export function isEndReason(value: unknown): value is EndReason {
  return typeof value === 'string' && (END_REASONS as readonly string[]).includes(value);
}

/** Slurm's own last word on the job, kept raw so the UI and logs can show it. */
export interface SlurmJobRecord {
  /** Base state as Slurm spells it, e.g. 'PENDING'; unknown states are kept as they came. */
  state: string;
  /** State flags, e.g. ['CONFIGURING'] or ['REQUEUED']. */
  flags: string[];
  /** Slurm's reason, e.g. 'Resources', 'Priority', 'None'; null when Slurm gave none. */
  reason: string | null;
}

/**
 * Where the job's VNC server listens, as the job reported it. No host: the proxy dials the
 * address Slurm gives for the job's node (NodeAddr), never one named by the job itself.
 */
export interface VncEndpoint {
  port: number;
  display: number;
}

export interface Session {
  id: string;
  /** Username of the owner; the job runs as this user. */
  owner: string;
  appId: string;
  appTitle: string;
  values: SessionValues;
  state: SessionState;
  /** Slurm's job id once sbatch has answered. */
  jobId: string | null;
  /** Carried in the job name, so a submit that timed out can be found again instead of repeated. */
  submitToken: string;
  slurm: SlurmJobRecord | null;
  node: string | null;
  expectedStartAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  /** When the job's readiness report arrived. */
  readyAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Null when unknown or unlimited. */
  timeLimitMinutes: number | null;
  /** What Extend has added to the job's time limit so far, in minutes. */
  extendedMinutes: number;
  exitCode: number | null;
  endReason: EndReason | null;
  /** A sentence for the user: Slurm's rejection, the output log's tail, …; null when there is none. */
  message: string | null;
  endpoint: VncEndpoint | null;
  /** When the poller first failed to find the job; cleared whenever the job shows signs of life. */
  notListedSince: Date | null;
  /** When a VNC client last connected to or left the desktop (idle auto-stop's first clock). */
  lastViewedAt: Date | null;
  /** When a VNC client last sent keyboard, mouse or clipboard input (at most once a minute or so). */
  lastInputAt: Date | null;
  /** When the owner last asked to keep the session from an idle stop. */
  keptAt: Date | null;
  /** The idle stop the owner was warned of: when, and the sentence it will end with; null when none. */
  idleWarning: IdleWarning | null;
}

export interface IdleWarning {
  stopAt: Date;
  reason: string;
}

export interface NewSession {
  id: string;
  owner: string;
  appId: string;
  appTitle: string;
  values: SessionValues;
  submitToken: string;
  timeLimitMinutes?: number | null;
  now: Date;
}

/** A session about to be submitted: every Slurm-side field is still unknown. */
export function createSession(input: NewSession): Session {
  return {
    id: input.id,
    owner: input.owner,
    appId: input.appId,
    appTitle: input.appTitle,
    values: { ...input.values },
    state: 'submitting',
    jobId: null,
    submitToken: input.submitToken,
    slurm: null,
    node: null,
    expectedStartAt: null,
    startedAt: null,
    endedAt: null,
    readyAt: null,
    createdAt: input.now,
    updatedAt: input.now,
    timeLimitMinutes: input.timeLimitMinutes ?? null,
    extendedMinutes: 0,
    exitCode: null,
    endReason: null,
    message: null,
    endpoint: null,
    notListedSince: null,
    lastViewedAt: null,
    lastInputAt: null,
    keptAt: null,
    idleWarning: null,
  };
}
