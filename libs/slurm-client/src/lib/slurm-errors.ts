// Typed errors of the Slurm client. Callers branch on the class, never on message text:
// "Slurm is unreachable" must never be confused with "the job ended" or "no jobs".

/** What every error carries about the command that produced it (when one ran). */
export interface CommandFacts {
  /** The argv that ran (sudo prefix included), or null when no command was started. */
  command?: readonly string[] | null;
  exitCode?: number | null;
  stderr?: string;
}

export abstract class SlurmError extends Error {
  readonly command: readonly string[] | null;
  readonly exitCode: number | null;
  readonly stderr: string;

  protected constructor(message: string, facts: CommandFacts = {}) {
    super(message);
    // Keeps `instanceof` and the class name right after TypeScript's down-levelling.
    this.name = new.target.name;
    Object.setPrototypeOf(this, new.target.prototype);
    this.command = facts.command ?? null;
    this.exitCode = facts.exitCode ?? null;
    this.stderr = facts.stderr ?? '';
  }
}

/**
 * slurmctld could not be reached (down, network, munge) or our own time-out struck.
 * After a timed-out sbatch the job may exist anyway: look it up with findByToken before resubmitting.
 */
export class SlurmUnavailableError extends SlurmError {
  /** True when our command time-out killed the command (as opposed to Slurm reporting the failure). */
  readonly timedOut: boolean;

  constructor(message: string, facts: CommandFacts & { timedOut?: boolean } = {}) {
    super(message, facts);
    this.timedOut = facts.timedOut ?? false;
  }
}

/** sbatch refused the job; `slurmMessage` is Slurm's own explanation (without the "sbatch: error: " prefix). */
export class JobRejectedError extends SlurmError {
  readonly slurmMessage: string;

  constructor(slurmMessage: string, facts: CommandFacts = {}) {
    super(`Slurm rejected the job: ${slurmMessage}`, facts);
    this.slurmMessage = slurmMessage;
  }
}

/** Slurm does not know this job id (never submitted, or purged after MinJobAge). */
export class JobNotFoundError extends SlurmError {
  readonly jobId: string;

  constructor(jobId: string, facts: CommandFacts = {}) {
    super(`Slurm does not know job ${jobId}`, facts);
    this.jobId = jobId;
  }
}

/**
 * Slurm refused the portal's account this change ("Access/permission denied"): raising a running
 * job's time limit, for one, takes a Slurm operator (or SlurmUser, or root).
 */
export class SlurmPermissionError extends SlurmError {
  constructor(message: string, facts: CommandFacts = {}) {
    super(message, facts);
  }
}

/** The request was refused before any command ran (unsafe characters, out-of-range numbers, missing user). */
export class InvalidSlurmRequestError extends SlurmError {
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`invalid ${field}: ${problem}`);
    this.field = field;
  }
}

/** Anything else: a command that could not start, failed in an unknown way, or printed output we cannot read. */
export class SlurmCommandError extends SlurmError {
  /** errno code when the command could not be started at all (e.g. 'ENOENT'). */
  readonly spawnErrorCode: string | null;

  constructor(message: string, facts: CommandFacts & { spawnErrorCode?: string | null } = {}) {
    super(message, facts);
    this.spawnErrorCode = facts.spawnErrorCode ?? null;
  }
}
