// Slurm job states as typed values: a base state plus flags, with the raw text always kept.
//
// squeue %T / -O State and `scontrol show job` JobState= print Slurm's job_state_string(), which
// shows ONLY the first set flag when there is one (e.g. "COMPLETING", "CONFIGURING") and hides the
// base state behind it. For such strings the base is inferred (baseInferred: true):
//   CONFIGURING, RESIZING, STOPPED, SIGNALING, POWER_UP_NODE  -> RUNNING (the job holds its allocation)
//   COMPLETING, STAGE_OUT -> RUNNING: the job's processes are ending but its nodes are still held and
//     Slurm has not published the final state yet; isJobEnded() is false, isJobEnding() is true, and
//     the next query shows COMPLETED/CANCELLED/FAILED/... Choosing a final state here would guess.
//   REQUEUED, REQUEUE_FED, REQUEUE_HOLD, SPECIAL_EXIT, RESV_DEL_HOLD -> PENDING (back in the queue)
//   anything else -> UNKNOWN
// Unknown words are never thrown on or dropped: they stay in `raw` (and `unknownWords`).

export const JOB_BASE_STATES = [
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
export type KnownJobBaseState = (typeof JOB_BASE_STATES)[number];
export type JobBaseState = KnownJobBaseState | 'UNKNOWN';

/** Slurm's job state flags (slurm.h, 22.05). */
export const JOB_STATE_FLAGS = [
  'CONFIGURING',
  'COMPLETING',
  'REQUEUED',
  'REQUEUE_FED',
  'REQUEUE_HOLD',
  'RESIZING',
  'STOPPED',
  'SIGNALING',
  'STAGE_OUT',
  'SPECIAL_EXIT',
  'REVOKED',
  'RESV_DEL_HOLD',
  'UPDATE_DB',
  'POWER_UP_NODE',
  'LAUNCH_FAILED',
  'RECONFIG_FAIL',
] as const;
export type JobStateFlag = (typeof JOB_STATE_FLAGS)[number];

/** Base states after which the job never runs again. */
export const TERMINAL_JOB_STATES: readonly KnownJobBaseState[] = [
  'COMPLETED',
  'CANCELLED',
  'FAILED',
  'TIMEOUT',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
  'OUT_OF_MEMORY',
];

export interface JobState {
  base: JobBaseState;
  flags: JobStateFlag[];
  /** Exactly what Slurm printed. */
  raw: string;
  /** True when Slurm printed only a flag and `base` was inferred from it (see the file header). */
  baseInferred: boolean;
  /** Words of `raw` that are neither a known base state nor a known flag. */
  unknownWords: string[];
}

// squeue %t / StateCompact codes.
const COMPACT_CODES: Readonly<Record<string, KnownJobBaseState | JobStateFlag>> = {
  PD: 'PENDING',
  R: 'RUNNING',
  S: 'SUSPENDED',
  CD: 'COMPLETED',
  CA: 'CANCELLED',
  F: 'FAILED',
  TO: 'TIMEOUT',
  NF: 'NODE_FAIL',
  PR: 'PREEMPTED',
  BF: 'BOOT_FAIL',
  DL: 'DEADLINE',
  OOM: 'OUT_OF_MEMORY',
  CF: 'CONFIGURING',
  CG: 'COMPLETING',
  RQ: 'REQUEUED',
  RF: 'REQUEUE_FED',
  RH: 'REQUEUE_HOLD',
  RS: 'RESIZING',
  ST: 'STOPPED',
  SI: 'SIGNALING',
  SO: 'STAGE_OUT',
  SE: 'SPECIAL_EXIT',
  RV: 'REVOKED',
  RD: 'RESV_DEL_HOLD',
};

const IMPLIED_BASE: Partial<Record<JobStateFlag, KnownJobBaseState>> = {
  CONFIGURING: 'RUNNING',
  RESIZING: 'RUNNING',
  STOPPED: 'RUNNING',
  SIGNALING: 'RUNNING',
  POWER_UP_NODE: 'RUNNING',
  COMPLETING: 'RUNNING',
  STAGE_OUT: 'RUNNING',
  REQUEUED: 'PENDING',
  REQUEUE_FED: 'PENDING',
  REQUEUE_HOLD: 'PENDING',
  SPECIAL_EXIT: 'PENDING',
  RESV_DEL_HOLD: 'PENDING',
};

const BASE_SET: ReadonlySet<string> = new Set(JOB_BASE_STATES);
const FLAG_SET: ReadonlySet<string> = new Set(JOB_STATE_FLAGS);

/**
 * Parses a job state as any Slurm tool prints it: "RUNNING", "COMPLETING" (flag only),
 * "CANCELLED by 0" (sacct), "RUNNING+COMPLETING" / "PENDING,REQUEUED" (newer releases),
 * compact codes ("CG"). Never throws.
 */
export function parseJobState(raw: string): JobState {
  // "CANCELLED by 1001": the words after the first one name who cancelled; raw keeps them.
  const firstWord = raw.trim().split(/\s+/)[0] ?? '';
  let base: KnownJobBaseState | undefined;
  const flags: JobStateFlag[] = [];
  const unknownWords: string[] = [];
  for (const part of firstWord.split(/[+,|]/)) {
    const word = part.trim().toUpperCase();
    if (word === '') continue;
    const name = COMPACT_CODES[word] ?? word;
    if (BASE_SET.has(name)) {
      base ??= name as KnownJobBaseState;
    } else if (FLAG_SET.has(name)) {
      if (!flags.includes(name as JobStateFlag)) flags.push(name as JobStateFlag);
    } else {
      unknownWords.push(part.trim());
    }
  }
  if (base !== undefined) {
    return { base, flags, raw, baseInferred: false, unknownWords };
  }
  const implied = flags.map((f) => IMPLIED_BASE[f]).find((b) => b !== undefined);
  return { base: implied ?? 'UNKNOWN', flags, raw, baseInferred: flags.length > 0, unknownWords };
}

/** The job is over and its final state is known (not while Slurm is still completing it). */
export function isJobEnded(state: JobState): boolean {
  return (
    (TERMINAL_JOB_STATES as readonly string[]).includes(state.base) &&
    !state.flags.includes('COMPLETING') &&
    !state.flags.includes('STAGE_OUT')
  );
}

/** The job's processes are ending (COMPLETING / STAGE_OUT) but Slurm has not given the final state yet. */
export function isJobEnding(state: JobState): boolean {
  return state.flags.includes('COMPLETING') || state.flags.includes('STAGE_OUT');
}

/** Waiting in the queue (including held and requeued jobs). */
export function isJobPending(state: JobState): boolean {
  return state.base === 'PENDING';
}
