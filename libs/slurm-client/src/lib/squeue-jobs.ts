// The one squeue command behind queryJobs and findByToken, and the reading of its output.
// `-t all` keeps ended jobs (visible for MinJobAge), `--all` includes hidden partitions,
// `--noconvert` keeps memory in MB, and -O with a separator suffix gives unpadded fields.
import { formatArgument, recordObject, splitRecords } from './delimited-output';
import { buildJobInfo } from './job-info';
import type { JobInfo } from './slurm-client';
import { optionalText, parseWaitStatus } from './slurm-fields';

export const SQUEUE_FIELDS = [
  'JobID',
  'Name',
  'UserName',
  'Partition',
  'State',
  'Reason',
  'NodeList',
  'BatchHost',
  'NumNodes',
  'NumCPUs',
  'tres-alloc',
  'SubmitTime',
  'StartTime',
  'EndTime',
  'TimeLimit',
  'TimeUsed',
  'exit_code',
  'Account',
  'QOS',
  'Comment',
  'WorkDir',
  'STDOUT',
] as const;

const COMMON_ARGS = ['-h', '--all', '-t', 'all', '--noconvert'];

/** Arguments (after the squeue binary) listing these jobs. Ids joined in one -j: one command for any number. */
export function squeueByIdsArgs(jobIds: readonly string[]): string[] {
  return [...COMMON_ARGS, `--jobs=${jobIds.join(',')}`, `--Format=${formatArgument(SQUEUE_FIELDS)}`];
}

/** Arguments (after the squeue binary) listing the jobs with exactly this name. */
export function squeueByNameArgs(jobName: string): string[] {
  return [...COMMON_ARGS, `--name=${jobName}`, `--Format=${formatArgument(SQUEUE_FIELDS)}`];
}

export function parseSqueueJobs(stdout: string): JobInfo[] {
  return splitRecords(stdout, SQUEUE_FIELDS.length).map((record) => {
    const f = recordObject(SQUEUE_FIELDS, record);
    if (!/^\d+(?:_\d+)?(?:\+\d+)?$/.test(f.JobID.trim())) {
      throw new Error(`not a job id: ${JSON.stringify(f.JobID)}`);
    }
    return buildJobInfo(
      {
        jobId: f.JobID,
        name: f.Name,
        user: optionalText(f.UserName),
        partition: f.Partition,
        state: f.State,
        reason: f.Reason,
        nodeList: f.NodeList,
        batchHost: f.BatchHost,
        nodeCount: f.NumNodes,
        cpus: f.NumCPUs,
        tres: f['tres-alloc'],
        submitTime: f.SubmitTime,
        startTime: f.StartTime,
        endTime: f.EndTime,
        timeLimit: f.TimeLimit,
        timeUsed: f.TimeUsed,
        account: f.Account,
        qos: f.QOS,
        comment: f.Comment,
        workDir: f.WorkDir,
        stdoutPath: f.STDOUT,
      },
      parseWaitStatus(f.exit_code),
    );
  });
}
