// @vizportal/slurm-client: the SlurmClient port, its command-line adapter (CliSlurmClient) and
// Slurm's vocabulary as types (job and node states, typed errors). Knows Slurm, nothing of sessions.
export {
  SLURM_CLIENT,
  type CancelOptions,
  type CancelResult,
  type ClusterInfo,
  type JobId,
  type JobInfo,
  type JobQueryResult,
  type NodeInfo,
  type PartitionInfo,
  type SlurmClient,
  type SubmitRequest,
  type SubmitResult,
} from './lib/slurm-client';
export {
  CliSlurmClient,
  DEFAULT_COMMAND_TIMEOUT_MS,
  type CliSlurmClientConfig,
} from './lib/cli-slurm-client';
export {
  ProcessCommandRunner,
  effectiveArgv,
  type CommandOutcome,
  type CommandRunner,
  type CommandSpec,
  type ProcessCommandRunnerOptions,
} from './lib/command-runner';
export {
  JOB_BASE_STATES,
  JOB_STATE_FLAGS,
  TERMINAL_JOB_STATES,
  isJobEnded,
  isJobEnding,
  isJobPending,
  parseJobState,
  type JobBaseState,
  type JobState,
  type JobStateFlag,
  type KnownJobBaseState,
} from './lib/job-state';
export {
  NODE_BASE_STATES,
  parseNodeState,
  type NodeAvailability,
  type NodeBaseState,
  type NodeState,
} from './lib/node-state';
export {
  InvalidSlurmRequestError,
  JobNotFoundError,
  JobRejectedError,
  SlurmCommandError,
  SlurmError,
  SlurmPermissionError,
  SlurmUnavailableError,
  type CommandFacts,
} from './lib/slurm-errors';
export { DEFAULT_JOB_NAME_PREFIX } from './lib/sbatch-command';
export { expandHostlist } from './lib/hostlist';
export type { ExitStatus } from './lib/slurm-fields';
