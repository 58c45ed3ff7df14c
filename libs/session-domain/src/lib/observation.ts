// What the API can learn about a session, from sbatch, the poller, the job itself or the user.
// Each observation is a fact with the time it was made; transition() decides what it means.

/** Base states Slurm documents. Anything else is still accepted: the session keeps its state and records it. */
export const SLURM_BASE_STATES = [
  'PENDING',
  'RUNNING',
  'SUSPENDED',
  'COMPLETED',
  'CANCELLED',
  'FAILED',
  'TIMEOUT',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
  'OUT_OF_MEMORY',
] as const;
export type SlurmBaseState = (typeof SLURM_BASE_STATES)[number];

/** sbatch accepted the job. */
export interface SubmittedObservation {
  kind: 'submitted';
  at: Date;
  jobId: string;
}

/** sbatch refused the job; message is Slurm's own explanation. */
export interface SubmitRejectedObservation {
  kind: 'submit-rejected';
  at: Date;
  message: string;
}

/** One job as squeue (or scontrol, for a job squeue no longer lists) reports it. */
export interface SlurmJobObservation {
  kind: 'slurm-job';
  at: Date;
  /** base is e.g. 'RUNNING'; flags e.g. ['CONFIGURING'], ['REQUEUED'], ['COMPLETING']. */
  state: { base: string; flags: string[] };
  reason: string | null;
  node: string | null;
  expectedStartAt: Date | null;
  startedAt: Date | null;
  /** Only read when the base state is terminal (for a live job Slurm gives a projected end). */
  endedAt: Date | null;
  timeLimitMinutes: number | null;
  exitCode: number | null;
}

/** squeue no longer lists the job and scontrol doesn't know it either. */
export interface JobNotListedObservation {
  kind: 'job-not-listed';
  at: Date;
}

/**
 * Why the job's VNC wrapper says it ended, in its end.json: the app exited by itself, it was
 * signalled before (terminated) or at (time-limit) its time limit, or the desktop could not start
 * (no display or Xvnc failing; the node lacking what the wrapper needs). The wrapper lives in
 * @vizportal/job-templates, which names the same reasons; the API, which joins the two, holds them equal.
 */
export const END_MARKER_REASONS = [
  'app-exited',
  'terminated',
  'time-limit',
  'xvnc-failed',
  'setup-failed',
] as const;
export type EndMarkerReason = (typeof END_MARKER_REASONS)[number];

/** The job's own end.json in its staging folder, written by the VNC wrapper when it exits. */
export interface EndMarkerObservation {
  kind: 'end-marker';
  at: Date;
  exitCode: number | null;
  reason: EndMarkerReason;
  /** When the marker was written; `at` is used when unknown. */
  endedAt?: Date | null;
}

/** The job reported its VNC endpoint (the readiness callback). */
export interface ReadinessObservation {
  kind: 'readiness';
  at: Date;
  port: number;
  display: number;
}

/** Slurm did not answer. Recorded for completeness: it never changes a session. */
export interface SchedulerUnreachableObservation {
  kind: 'scheduler-unreachable';
  at: Date;
}

/** The owner stopped the session and scancel succeeded. */
export interface UserStopObservation {
  kind: 'user-stop';
  at: Date;
}

/** Slurm took a longer time limit for the running job (Extend): its new limit and what was added. */
export interface TimeExtendedObservation {
  kind: 'time-extended';
  at: Date;
  timeLimitMinutes: number;
  addedMinutes: number;
}

/** The poller gave up waiting for readiness (see needsReadinessTimeout); logTail is the output log's end. */
export interface ReadinessTimeoutObservation {
  kind: 'readiness-timeout';
  at: Date;
  logTail: string;
}

/** A VNC client connected to the desktop or left it (idle auto-stop counts from the last of these). */
export interface ViewedObservation {
  kind: 'viewed';
  at: Date;
}

/** A VNC client sent keyboard, mouse or clipboard input. */
export interface InputObservation {
  kind: 'input';
  at: Date;
}

/** The owner asked to keep the session: the idle clocks start again, and a warning is withdrawn. */
export interface IdleKeptObservation {
  kind: 'idle-kept';
  at: Date;
}

/** The portal warned the owner that the session will be stopped as idle at `stopAt`. */
export interface IdleWarningObservation {
  kind: 'idle-warning';
  at: Date;
  stopAt: Date;
  reason: string;
}

/** The portal stopped the idle session (scancel succeeded); `reason` is the sentence it ends with. */
export interface IdleStopObservation {
  kind: 'idle-stop';
  at: Date;
  reason: string;
}

export type Observation =
  | SubmittedObservation
  | SubmitRejectedObservation
  | SlurmJobObservation
  | JobNotListedObservation
  | EndMarkerObservation
  | ReadinessObservation
  | SchedulerUnreachableObservation
  | UserStopObservation
  | ReadinessTimeoutObservation
  | TimeExtendedObservation
  | ViewedObservation
  | InputObservation
  | IdleKeptObservation
  | IdleWarningObservation
  | IdleStopObservation;

export type ObservationKind = Observation['kind'];

export const OBSERVATION_KINDS: readonly ObservationKind[] = [
  'submitted',
  'submit-rejected',
  'slurm-job',
  'job-not-listed',
  'end-marker',
  'readiness',
  'scheduler-unreachable',
  'user-stop',
  'readiness-timeout',
  'time-extended',
  'viewed',
  'input',
  'idle-kept',
  'idle-warning',
  'idle-stop',
];
