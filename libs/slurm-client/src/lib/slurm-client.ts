// The SlurmClient port: what the rest of vizportal may ask of Slurm, in Slurm's own terms
// (jobs, partitions, nodes) and nothing of sessions. CliSlurmClient is the adapter.
import type { JobState } from './job-state';
import type { NodeState } from './node-state';
import type { ExitStatus } from './slurm-fields';

/** Injection token for the port (a plain Symbol: no framework dependency here). */
export const SLURM_CLIENT = Symbol.for('vizportal.SlurmClient');

/** Slurm job ids are kept as the text Slurm prints ("123", or "123_4" for an array task). */
export type JobId = string;

export interface SubmitRequest {
  /**
   * The caller's idempotency token: letters, digits, '_' and '-', 1-64 characters. The job is named
   * `<jobNamePrefix><token>` (prefix from the client config, default "vizportal-") so findByToken
   * can find it again after an sbatch whose answer was lost.
   */
  token: string;
  /** The batch script, given to sbatch on stdin; must start with "#!". */
  script: string;
  /** Slurm's default partition when absent. */
  partition?: string;
  /** CPUs for the single task (--cpus-per-task); the job is always one task on one node. */
  cpus?: number;
  /** Memory for the job in MB (--mem). */
  memoryMb?: number;
  /** Time limit in minutes (--time). */
  timeLimitMinutes?: number;
  /** Generic resources per node, e.g. "gpu:1" or "gpu:a100:1" (--gres). */
  gres?: string;
  /** GPUs for the job, e.g. 1 or "a100:1" (--gpus). */
  gpus?: number | string;
  account?: string;
  qos?: string;
  /** The job's stdout (and stderr unless errorPath is given); Slurm patterns like %j work. */
  outputPath?: string;
  errorPath?: string;
  /** The job's working directory (--chdir); must exist on the node. */
  workDir?: string;
  /**
   * Environment for the job. 'none' (default): only these variables plus SLURM_* and the user's
   * login environment, which Slurm loads with `su - user` (slow on some sites: a minute here).
   * 'all': sbatch's environment too, which is never the service's own: only PATH, locale and
   * SLURM_CONF (or, through sudo, sudo's reset environment), plus env and secretEnv.
   */
  exportEnv?: 'none' | 'all';
  /** Names [A-Za-z_][A-Za-z0-9_]*; values without ',', quotes or line breaks (sbatch --export cannot carry them). */
  env?: Readonly<Record<string, string>>;
  /**
   * Secrets for the job's environment. Their values never reach a command line (which every user
   * on the host can read in ps): --export names them and sbatch takes the values from its own
   * environment; through sudo they pass by --preserve-env (sudoers needs SETENV for sbatch).
   */
  secretEnv?: Readonly<Record<string, string>>;
  /** --comment, shown by squeue; no line breaks. */
  comment?: string;
  /** Submit held (--hold): the job stays PENDING (JobHeldUser) until released. */
  hold?: boolean;
  /** Run sbatch as this Unix user (config submitAs 'user'); ignored when submitAs is 'service'. */
  asUser?: string;
}

export interface SubmitResult {
  jobId: JobId;
  /** The cluster name when sbatch printed one ("123;cluster"). */
  cluster: string | null;
  jobName: string;
  /** Lines sbatch wrote to stderr although it succeeded (warnings). */
  warnings: string[];
}

export interface JobInfo {
  jobId: JobId;
  name: string;
  user: string | null;
  partition: string | null;
  state: JobState;
  /** Slurm's reason ("Resources", "Priority", "JobHeldUser", "NonZeroExitCode", ...); null for "None". */
  reason: string | null;
  /** Allocated nodes (expanded); empty while pending. */
  nodes: string[];
  /** The node running the batch script (where the VNC server runs). */
  batchHost: string | null;
  nodeCount: number | null;
  cpus: number | null;
  /** Memory of the whole job in MB (allocated, or requested while pending). */
  memoryMb: number | null;
  /** Allocated (or requested) trackable resources, e.g. { cpu: '4', mem: '4096M', node: '1', 'gres/gpu': '1' }. */
  tres: Record<string, string>;
  submitTime: Date | null;
  /** When the job started; null while pending. (A job cancelled while pending gets its end time here from Slurm.) */
  startTime: Date | null;
  /** Slurm's estimate while pending (backfill scheduler), else null. */
  expectedStartTime: Date | null;
  /** When the job ended; null until isJobEnded(state). */
  endTime: Date | null;
  /** While the job runs: start + time limit. */
  expectedEndTime: Date | null;
  /** Null when unlimited or not set. */
  timeLimitMinutes: number | null;
  timeUsedSeconds: number | null;
  /** Only once the job has ended. */
  exitStatus: ExitStatus | null;
  account: string | null;
  qos: string | null;
  comment: string | null;
  workDir: string | null;
  stdoutPath: string | null;
}

export interface JobQueryResult {
  /** The jobs Slurm listed, in Slurm's order. */
  jobs: JobInfo[];
  /**
   * Asked-for ids Slurm did not list: unknown, or purged after MinJobAge. This says nothing
   * about how the job ended; use showJob for one id if it matters.
   */
  notListed: JobId[];
}

export interface CancelOptions {
  /** Run scancel as this user (config submitAs 'user'); ignored when submitAs is 'service'. */
  asUser?: string;
  /** Send this signal instead of cancelling (e.g. 'TERM', 'USR1'). */
  signal?: string;
}

export interface CancelResult {
  jobId: JobId;
  /** 'requested': Slurm accepted the cancel/signal; 'already-ended': the job had finished (or was completing). */
  outcome: 'requested' | 'already-ended';
}

export interface PartitionInfo {
  name: string;
  isDefault: boolean;
  /** UP, DOWN, DRAIN or INACTIVE. */
  state: string;
  /** Null when unlimited. */
  maxTimeMinutes: number | null;
  defaultTimeMinutes: number | null;
  nodes: string[];
  totalNodes: number | null;
  totalCpus: number | null;
  maxNodesPerJob: number | null;
  maxCpusPerNode: number | null;
  maxMemoryPerNodeMb: number | null;
  maxMemoryPerCpuMb: number | null;
  defaultMemoryPerNodeMb: number | null;
  defaultMemoryPerCpuMb: number | null;
  hidden: boolean;
  /** The partition's trackable resources, e.g. { cpu: '8', mem: '8G', node: '2', 'gres/gpu': '2' }. */
  tres: Record<string, string>;
  /** The gres part of tres, keyed without "gres/": { gpu: '2' }. */
  gres: Record<string, string>;
}

export interface NodeInfo {
  name: string;
  /** The address Slurm gives for the node (NodeAddr): the one to dial for a job's VNC server. */
  address: string;
  hostname: string | null;
  state: NodeState;
  cpus: { total: number | null; allocated: number | null; idle: number | null; other: number | null };
  memoryMb: { total: number | null; allocated: number | null; free: number | null };
  /** Configured gres, e.g. "gpu:2"; null when none. */
  gres: string | null;
  gresUsed: string | null;
  partitions: string[];
  /** Why the node is down/drained, as the admin or Slurm wrote it. */
  reason: string | null;
}

export interface ClusterInfo {
  partitions: PartitionInfo[];
  nodes: NodeInfo[];
}

export interface SlurmClient {
  /** sbatch. Throws JobRejectedError, SlurmUnavailableError (then the job may exist: see findByToken), SlurmCommandError. */
  submit(request: SubmitRequest): Promise<SubmitResult>;
  /** The newest job carrying this token, including recently ended ones; null when Slurm lists none. */
  findByToken(token: string): Promise<JobInfo | null>;
  /** Many jobs in one command; ids Slurm does not list are returned in notListed, never as ended. */
  queryJobs(jobIds: readonly JobId[]): Promise<JobQueryResult>;
  /** One job through scontrol; JobNotFoundError when Slurm does not know it. */
  showJob(jobId: JobId): Promise<JobInfo>;
  /** scancel; an already finished job is not an error, an unknown one is JobNotFoundError. */
  cancel(jobId: JobId, options?: CancelOptions): Promise<CancelResult>;
  /**
   * Sets the job's time limit (scontrol update), as the portal's own account: only an operator may
   * raise a running job's limit, and Slurm then does not hold it to the partition's MaxTime, so the
   * caller checks that. SlurmPermissionError when Slurm refuses the account; JobNotFoundError.
   */
  updateTimeLimit(jobId: JobId, minutes: number): Promise<void>;
  clusterInfo(): Promise<ClusterInfo>;
  listPartitions(): Promise<PartitionInfo[]>;
  listNodes(): Promise<NodeInfo[]>;
}
