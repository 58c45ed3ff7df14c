// CliSlurmClient: the SlurmClient port on Slurm's command-line tools (sbatch, squeue, scontrol,
// scancel, sinfo), each run without a shell, under a time-out, as the service or through sudo.
// Behaviour of Slurm 22.05 this relies on is recorded in src/lib/__fixtures__ (scripts/record-fixtures.sh).
import { join } from 'node:path';
import { type CommandOutcome, type CommandRunner, ProcessCommandRunner } from './command-runner';
import { failureError, looksUnavailable, toolErrorLines } from './failure-classifier';
import { isJobEnded, isJobEnding } from './job-state';
import {
  DEFAULT_JOB_NAME_PREFIX,
  jobNameFor,
  parseParsableOutput,
  sbatchCommand,
  validateJobNamePrefix,
} from './sbatch-command';
import { jobFromScontrol, parseKeyValueRecords, partitionFromScontrol } from './scontrol-records';
import { parseSinfoNodes, sinfoNodesArgs } from './sinfo-nodes';
import type {
  CancelOptions,
  CancelResult,
  ClusterInfo,
  JobId,
  JobInfo,
  JobQueryResult,
  NodeInfo,
  PartitionInfo,
  SlurmClient,
  SubmitRequest,
  SubmitResult,
} from './slurm-client';
import {
  InvalidSlurmRequestError,
  JobNotFoundError,
  JobRejectedError,
  SlurmCommandError,
  SlurmPermissionError,
} from './slurm-errors';
import { parseSqueueJobs, squeueByIdsArgs, squeueByNameArgs } from './squeue-jobs';

export interface CliSlurmClientConfig {
  /** Every command is killed after this and reported as SlurmUnavailableError; default 15000. */
  commandTimeoutMs?: number;
  /** 'service' (default): sbatch/scancel run as the service; 'user': as request.asUser through `sudo -n -u`. */
  submitAs?: 'service' | 'user';
  /** Folder holding sbatch, squeue, ...; default: looked up in PATH. */
  binDir?: string;
  /** sudo binary for submitAs 'user'; default 'sudo' from PATH. Used by the default runner only. */
  sudoPath?: string;
  /** Job names are `<prefix><token>`; default "vizportal-". */
  jobNamePrefix?: string;
  /** Cap on a command's output; default 32 MiB. */
  maxOutputBytes?: number;
  /**
   * Extra environment for commands run as the service, e.g. SLURM_CONF. Commands run through
   * sudo get sudo's reset environment instead.
   */
  env?: Readonly<Record<string, string>>;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

const JOB_ID = /^\d+(?:_\d+)?$/;
const UNIX_USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;
const SIGNAL = /^(?:SIG)?[A-Z][A-Z0-9+-]{0,15}$|^\d{1,2}$/;
const INVALID_JOB_ID = /Invalid job id specified/i;
const ALREADY_DONE = /already completing or completed/i;
const PERMISSION_DENIED = /Access\/permission denied/i;
/** A year: beyond any partition a site would configure, and a bound on what reaches scontrol. */
const MAX_TIME_LIMIT_MINUTES = 525_600;

/** Variables that would change what the Slurm tools print or submit (SQUEUE_FORMAT, SBATCH_PARTITION, ...). */
const TOOL_VARIABLE = /^(?:SLURM_|SBATCH_|SQUEUE_|SINFO_|SCANCEL_|SCONTROL_|SALLOC_|SRUN_)/;

export class CliSlurmClient implements SlurmClient {
  private readonly timeoutMs: number;
  private readonly submitAs: 'service' | 'user';
  private readonly binDir: string | undefined;
  private readonly jobNamePrefix: string;
  private readonly maxOutputBytes: number;
  private readonly extraEnv: Readonly<Record<string, string>>;
  private readonly runner: CommandRunner;

  constructor(config: CliSlurmClientConfig = {}, runner?: CommandRunner) {
    this.timeoutMs = config.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0) {
      throw new InvalidSlurmRequestError('commandTimeoutMs', 'a positive number of milliseconds is needed');
    }
    this.submitAs = config.submitAs ?? 'service';
    this.binDir = config.binDir;
    this.jobNamePrefix = config.jobNamePrefix ?? DEFAULT_JOB_NAME_PREFIX;
    validateJobNamePrefix(this.jobNamePrefix);
    this.maxOutputBytes = config.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    this.extraEnv = config.env ?? {};
    this.runner = runner ?? new ProcessCommandRunner({ sudoPath: config.sudoPath });
  }

  async submit(request: SubmitRequest): Promise<SubmitResult> {
    const { args, jobName } = sbatchCommand(request, this.jobNamePrefix);
    const asUser = this.runAs(request.asUser, true);
    const outcome = await this.run('sbatch', args, {
      asUser,
      input: request.script,
      secretEnv: request.secretEnv,
      // sbatch's environment may become the job's (--export=ALL): only the basics, never the service's own.
      env: this.jobSafeEnv(),
    });
    if (isSuccess(outcome)) {
      const parsed = parseParsableOutput(outcome.stdout);
      if (parsed === null) {
        throw new SlurmCommandError(
          `sbatch succeeded but printed no job id: ${JSON.stringify(outcome.stdout.slice(0, 200))}`,
          {
            command: outcome.argv,
            exitCode: 0,
            stderr: outcome.stderr,
          },
        );
      }
      const warnings = outcome.stderr
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      return { jobId: parsed.jobId, cluster: parsed.cluster, jobName, warnings };
    }
    if (outcome.kind === 'exited' && !looksUnavailable(outcome.stderr)) {
      const rejection = toolErrorLines(outcome.stderr, 'sbatch');
      if (rejection.length > 0) {
        throw new JobRejectedError(rejection.join('; '), {
          command: outcome.argv,
          exitCode: outcome.exitCode,
          stderr: outcome.stderr,
        });
      }
    }
    throw failureError(outcome, 'sbatch', asUser);
  }

  async findByToken(token: string): Promise<JobInfo | null> {
    const jobName = jobNameFor(this.jobNamePrefix, token);
    const outcome = await this.run('squeue', squeueByNameArgs(jobName));
    const jobs = this.readJobs(outcome).filter((job) => job.name === jobName);
    // Several only if the caller resubmitted without asking first: the newest is the live attempt.
    jobs.sort((a, b) => compareJobIds(b.jobId, a.jobId));
    return jobs[0] ?? null;
  }

  async queryJobs(jobIds: readonly JobId[]): Promise<JobQueryResult> {
    const ids = [...new Set(jobIds.map((id) => checkJobId(id)))];
    if (ids.length === 0) return { jobs: [], notListed: [] };
    const outcome = await this.run('squeue', squeueByIdsArgs(ids));
    // 22.05 answers a single unknown id with exit 1 "slurm_load_jobs error: Invalid job id specified"
    // (several ids: exit 0, unknown ones left out). That is "not listed", not a failure.
    if (
      outcome.kind === 'exited' &&
      outcome.exitCode !== 0 &&
      ids.length === 1 &&
      INVALID_JOB_ID.test(outcome.stderr) &&
      !looksUnavailable(outcome.stderr)
    ) {
      return { jobs: [], notListed: ids };
    }
    const jobs = this.readJobs(outcome);
    const listed = new Set(jobs.map((job) => job.jobId));
    return { jobs, notListed: ids.filter((id) => !listed.has(id)) };
  }

  async showJob(jobId: JobId): Promise<JobInfo> {
    const id = checkJobId(jobId);
    const outcome = await this.run('scontrol', ['show', 'job', '-o', id]);
    if (
      outcome.kind === 'exited' &&
      outcome.exitCode !== 0 &&
      INVALID_JOB_ID.test(outcome.stderr) &&
      !looksUnavailable(outcome.stderr)
    ) {
      throw new JobNotFoundError(id, {
        command: outcome.argv,
        exitCode: outcome.exitCode,
        stderr: outcome.stderr,
      });
    }
    if (!isSuccess(outcome)) throw failureError(outcome, 'scontrol');
    const jobs = this.parse(outcome, () => parseKeyValueRecords(outcome.stdout).map(jobFromScontrol));
    const job = jobs.find((j) => j.jobId === id) ?? jobs[0];
    if (job === undefined) {
      throw new SlurmCommandError(`scontrol printed nothing for job ${id}`, {
        command: outcome.argv,
        exitCode: 0,
        stderr: outcome.stderr,
      });
    }
    return job;
  }

  async cancel(jobId: JobId, options: CancelOptions = {}): Promise<CancelResult> {
    const id = checkJobId(jobId);
    const asUser = this.runAs(options.asUser, false);
    const args = ['--verbose'];
    if (options.signal !== undefined) {
      if (!SIGNAL.test(options.signal))
        throw new InvalidSlurmRequestError('signal', 'a signal name like TERM or USR1, or a number');
      args.push(`--signal=${options.signal}`);
    }
    args.push(id);
    const outcome = await this.run('scancel', args, { asUser });
    if (outcome.kind !== 'exited' || looksUnavailable(outcome.stderr)) {
      throw failureError(outcome, 'scancel', asUser);
    }
    const facts = { command: outcome.argv, exitCode: outcome.exitCode, stderr: outcome.stderr };
    // Plain scancel exits 0 for finished AND unknown jobs alike; --verbose makes it say which.
    if (ALREADY_DONE.test(outcome.stderr)) return { jobId: id, outcome: 'already-ended' };
    if (INVALID_JOB_ID.test(outcome.stderr)) {
      // With --signal, 22.05 also calls a finished (still listed) job "Invalid job id": ask squeue.
      if (options.signal !== undefined) {
        const { jobs } = await this.queryJobs([id]);
        const job = jobs.find((j) => j.jobId === id);
        if (job !== undefined && (isJobEnded(job.state) || isJobEnding(job.state))) {
          return { jobId: id, outcome: 'already-ended' };
        }
        if (job !== undefined) {
          throw new SlurmCommandError(
            `scancel called active job ${id} invalid: ${outcome.stderr.trim()}`,
            facts,
          );
        }
      }
      throw new JobNotFoundError(id, facts);
    }
    if (outcome.exitCode === 0) return { jobId: id, outcome: 'requested' };
    throw failureError(outcome, 'scancel', asUser);
  }

  async updateTimeLimit(jobId: JobId, minutes: number): Promise<void> {
    const id = checkJobId(jobId);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_TIME_LIMIT_MINUTES)
      throw new InvalidSlurmRequestError('minutes', `a whole number from 1 to ${MAX_TIME_LIMIT_MINUTES}`);
    // Never as the user: a user may lower their running job's limit but not raise it.
    const outcome = await this.run('scontrol', ['update', `JobId=${id}`, `TimeLimit=${minutes}`]);
    if (isSuccess(outcome) && !looksUnavailable(outcome.stderr)) return;
    const facts = {
      command: outcome.argv,
      exitCode: outcome.kind === 'exited' ? outcome.exitCode : null,
      stderr: outcome.stderr,
    };
    if (outcome.kind === 'exited' && !looksUnavailable(outcome.stderr)) {
      if (INVALID_JOB_ID.test(outcome.stderr)) throw new JobNotFoundError(id, facts);
      if (PERMISSION_DENIED.test(outcome.stderr))
        throw new SlurmPermissionError(
          `Slurm refused to change job ${id}'s time limit: ${outcome.stderr.trim()}`,
          facts,
        );
    }
    throw failureError(outcome, 'scontrol');
  }

  async clusterInfo(): Promise<ClusterInfo> {
    const [partitions, nodes] = await Promise.all([this.listPartitions(), this.listNodes()]);
    return { partitions, nodes };
  }

  async listPartitions(): Promise<PartitionInfo[]> {
    const outcome = await this.run('scontrol', ['show', 'partition', '-o']);
    if (!isSuccess(outcome)) throw failureError(outcome, 'scontrol');
    const partitions = this.parse(outcome, () =>
      parseKeyValueRecords(outcome.stdout).map(partitionFromScontrol),
    );
    this.refuseEmptyWithErrors(outcome, partitions.length);
    return partitions;
  }

  async listNodes(): Promise<NodeInfo[]> {
    const outcome = await this.run('sinfo', sinfoNodesArgs());
    if (!isSuccess(outcome)) throw failureError(outcome, 'sinfo');
    const nodes = this.parse(outcome, () => parseSinfoNodes(outcome.stdout));
    this.refuseEmptyWithErrors(outcome, nodes.length);
    return nodes;
  }

  /** Jobs from a squeue outcome. Any error text fails the call: an empty list must mean "no jobs". */
  private readJobs(outcome: CommandOutcome): JobInfo[] {
    if (!isSuccess(outcome)) throw failureError(outcome, 'squeue');
    if (/error/i.test(outcome.stderr)) {
      throw new SlurmCommandError(`squeue reported an error: ${outcome.stderr.trim()}`, {
        command: outcome.argv,
        exitCode: 0,
        stderr: outcome.stderr,
      });
    }
    return this.parse(outcome, () => parseSqueueJobs(outcome.stdout));
  }

  private refuseEmptyWithErrors(outcome: CommandOutcome, count: number): void {
    if (count === 0 && /error/i.test(outcome.stderr)) {
      throw new SlurmCommandError(
        `${outcome.argv[0]} printed nothing but an error: ${outcome.stderr.trim()}`,
        {
          command: outcome.argv,
          exitCode: 0,
          stderr: outcome.stderr,
        },
      );
    }
  }

  private parse<T>(outcome: CommandOutcome, read: () => T): T {
    try {
      return read();
    } catch (err) {
      throw new SlurmCommandError(
        `cannot read the output of ${outcome.argv.join(' ')}: ${(err as Error).message}`,
        {
          command: outcome.argv,
          exitCode: 0,
          stderr: outcome.stderr,
        },
      );
    }
  }

  /** The user to run as under the configured mode; `required` when the mode needs one. */
  private runAs(asUser: string | undefined, required: boolean): string | undefined {
    if (this.submitAs === 'service') return undefined;
    if (asUser === undefined) {
      if (required)
        throw new InvalidSlurmRequestError(
          'asUser',
          "submitAs is 'user', so the Unix user to run as is needed",
        );
      return undefined;
    }
    if (!UNIX_USER.test(asUser)) throw new InvalidSlurmRequestError('asUser', 'not a valid Unix user name');
    return asUser;
  }

  private run(
    tool: string,
    args: string[],
    options: {
      asUser?: string;
      input?: string;
      secretEnv?: Readonly<Record<string, string>>;
      env?: NodeJS.ProcessEnv;
    } = {},
  ): Promise<CommandOutcome> {
    const secretNames = Object.keys(options.secretEnv ?? {});
    return this.runner.run({
      argv: [this.binDir === undefined ? tool : join(this.binDir, tool), ...args],
      asUser: options.asUser,
      input: options.input,
      timeoutMs: this.timeoutMs,
      maxOutputBytes: this.maxOutputBytes,
      env: { ...(options.env ?? this.commandEnv()), ...options.secretEnv },
      preserveEnv: secretNames.length > 0 ? secretNames : undefined,
    });
  }

  /** What a job may inherit from sbatch: the search path, the locale, and what the tools need. */
  private jobSafeEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const name of ['PATH', 'LANG', 'LC_ALL', 'TZ', 'SLURM_CONF']) {
      if (process.env[name] !== undefined) env[name] = process.env[name];
    }
    return { ...env, ...this.extraEnv, SLURM_TIME_FORMAT: '%s' };
  }

  /**
   * Our environment without variables that steer the Slurm tools (SLURM_CONF kept), plus
   * SLURM_TIME_FORMAT=%s so every timestamp comes as epoch seconds, free of time-zone doubt.
   */
  private commandEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (!TOOL_VARIABLE.test(name) || name === 'SLURM_CONF') env[name] = value;
    }
    return { ...env, ...this.extraEnv, SLURM_TIME_FORMAT: '%s' };
  }
}

type ExitedOutcome = Extract<CommandOutcome, { kind: 'exited' }>;

// Narrows to "exited with 0" only, so the other branch still sees failed 'exited' outcomes.
function isSuccess(outcome: CommandOutcome): outcome is ExitedOutcome & { exitCode: 0 } {
  return outcome.kind === 'exited' && outcome.exitCode === 0;
}

function checkJobId(jobId: JobId): string {
  const id = String(jobId).trim();
  if (!JOB_ID.test(id))
    throw new InvalidSlurmRequestError('jobId', `not a Slurm job id: ${JSON.stringify(jobId)}`);
  return id;
}

function compareJobIds(a: string, b: string): number {
  const [a1, a2 = '0'] = a.split('_');
  const [b1, b2 = '0'] = b.split('_');
  return Number(a1) - Number(b1) || Number(a2) - Number(b2);
}
