// Slurm's view of one job (libs/slurm-client) as session-domain's observation: the one mapping
// between the two libraries, used by the poller and the readiness callback alike.
import type { SlurmJobObservation } from '@vizportal/session-domain';
import type { JobInfo } from '@vizportal/slurm-client';

/** `at` is when the query was SENT, so an answer older than a readiness report cannot undo it. */
export function jobObservation(job: JobInfo, at: Date): SlurmJobObservation {
  return {
    kind: 'slurm-job',
    at,
    state: { base: job.state.base, flags: [...job.state.flags] },
    reason: job.reason,
    node: job.batchHost ?? job.nodes[0] ?? null,
    expectedStartAt: job.expectedStartTime,
    startedAt: job.startTime,
    endedAt: job.endTime,
    timeLimitMinutes: job.timeLimitMinutes,
    exitCode: job.exitStatus ? job.exitStatus.code : null,
  };
}
