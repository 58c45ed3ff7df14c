// A SlurmClient decorator that times every Slurm command and counts its failures by kind. It lives
// in the API so libs/slurm-client stays free of metrics.
import {
  type CancelOptions,
  type CancelResult,
  type ClusterInfo,
  InvalidSlurmRequestError,
  type JobId,
  type JobInfo,
  JobNotFoundError,
  type JobQueryResult,
  JobRejectedError,
  type NodeInfo,
  type PartitionInfo,
  SlurmCommandError,
  type SlurmClient,
  SlurmUnavailableError,
  type SubmitRequest,
  type SubmitResult,
} from '@vizportal/slurm-client';
import type { VizportalMetrics } from '../metrics/vizportal-metrics';

/** The error label of a failed command: the typed error's meaning, never its message. */
export function slurmErrorKind(error: unknown): string {
  if (error instanceof SlurmUnavailableError) return error.timedOut ? 'timeout' : 'unavailable';
  if (error instanceof JobRejectedError) return 'rejected';
  if (error instanceof JobNotFoundError) return 'not_found';
  if (error instanceof InvalidSlurmRequestError) return 'invalid_request';
  if (error instanceof SlurmCommandError) return 'command_failed';
  return 'other';
}

export class InstrumentedSlurmClient implements SlurmClient {
  constructor(
    private readonly inner: SlurmClient,
    private readonly metrics: VizportalMetrics,
  ) {}

  submit(request: SubmitRequest): Promise<SubmitResult> {
    return this.measure('sbatch', () => this.inner.submit(request));
  }

  findByToken(token: string): Promise<JobInfo | null> {
    return this.measure('squeue', () => this.inner.findByToken(token));
  }

  queryJobs(jobIds: readonly JobId[]): Promise<JobQueryResult> {
    return this.measure('squeue', () => this.inner.queryJobs(jobIds));
  }

  showJob(jobId: JobId): Promise<JobInfo> {
    return this.measure('scontrol', () => this.inner.showJob(jobId));
  }

  cancel(jobId: JobId, options?: CancelOptions): Promise<CancelResult> {
    return this.measure('scancel', () => this.inner.cancel(jobId, options));
  }

  updateTimeLimit(jobId: JobId, minutes: number): Promise<void> {
    return this.measure('scontrol', () => this.inner.updateTimeLimit(jobId, minutes));
  }

  /** By the port's contract this is partitions plus nodes; asked here so each command is timed on its own. */
  async clusterInfo(): Promise<ClusterInfo> {
    const [partitions, nodes] = await Promise.all([this.listPartitions(), this.listNodes()]);
    return { partitions, nodes };
  }

  listPartitions(): Promise<PartitionInfo[]> {
    return this.measure('scontrol', () => this.inner.listPartitions());
  }

  listNodes(): Promise<NodeInfo[]> {
    return this.measure('sinfo', () => this.inner.listNodes());
  }

  private async measure<T>(command: string, call: () => Promise<T>): Promise<T> {
    const end = this.metrics.slurmCommandDuration.startTimer({ command });
    try {
      return await call();
    } catch (error) {
      this.metrics.slurmCommandErrors.inc({ command, kind: slurmErrorKind(error) });
      throw error;
    } finally {
      end();
    }
  }
}
