// The squeue command and its output, read from recordings of the real cluster.
import { present, recorded, recordedJobIds as ids } from './__fixtures__/recorded-commands';
import type { JobInfo } from './slurm-client';
import { parseSqueueJobs, squeueByIdsArgs, squeueByNameArgs } from './squeue-jobs';

function byId(jobs: JobInfo[]): Map<string, JobInfo> {
  return new Map(jobs.map((job) => [job.jobId, job]));
}

describe('squeue argv', () => {
  it('is the recorded command for many ids and for a name', () => {
    const many = recorded('squeue-jobs');
    const order = [
      'held',
      'running',
      'completed',
      'failed',
      'cancelled',
      'completing',
      'over-limit',
      'alice',
    ];
    expect(['squeue', ...squeueByIdsArgs(order.map((n) => ids[n]))]).toEqual(many.argv);
    expect(['squeue', ...squeueByNameArgs('vizportal-fixture-running')]).toEqual(
      recorded('squeue-by-name').argv,
    );
  });
});

describe('parseSqueueJobs on recorded output', () => {
  const jobs = byId(parseSqueueJobs(recorded('squeue-jobs').stdout));

  it('reads every job of the recording', () => {
    expect(jobs.size).toBe(8);
  });

  it('reads a held pending job', () => {
    const job = present(jobs.get(ids['held']));
    expect(job).toMatchObject({
      name: 'vizportal-fixture-held',
      user: 'root',
      partition: 'viz',
      state: { base: 'PENDING', flags: [] },
      reason: 'JobHeldUser',
      nodes: [],
      batchHost: null,
      startTime: null,
      expectedStartTime: null,
      endTime: null,
      exitStatus: null,
      timeLimitMinutes: 5,
      comment: 'recorded by record-fixtures.sh',
      workDir: '/tmp/vizportal-fixture-jobs',
      memoryMb: 256,
      cpus: 1,
    });
    expect(job.submitTime).toBeInstanceOf(Date);
  });

  it('reads a running job with its node, memory and projected end', () => {
    const job = present(jobs.get(ids['running']));
    expect(job).toMatchObject({
      state: { base: 'RUNNING' },
      reason: null,
      cpus: 4,
      memoryMb: 1024,
      timeLimitMinutes: 10,
    });
    expect(job.nodes).toHaveLength(1);
    expect(job.nodes[0]).toMatch(/^viz0[12]$/);
    expect(job.batchHost).toBe(job.nodes[0]);
    expect(job.endTime).toBeNull();
    expect(present(job.expectedEndTime).getTime() - present(job.startTime).getTime()).toBe(10 * 60 * 1000);
    expect(job.exitStatus).toBeNull();
  });

  it('reads exit code 3 of the failed job from the raw wait status', () => {
    const job = present(jobs.get(ids['failed']));
    expect(job).toMatchObject({
      state: { base: 'FAILED' },
      reason: 'NonZeroExitCode',
      exitStatus: { code: 3, signal: 0 },
    });
    expect(job.endTime).toBeInstanceOf(Date);
    expect(present(job.endTime).getTime()).toBeGreaterThanOrEqual(present(job.startTime).getTime());
  });

  it('reads completed and cancelled jobs as ended, with the signal of the cancel', () => {
    expect(jobs.get(ids['completed'])).toMatchObject({
      state: { base: 'COMPLETED' },
      exitStatus: { code: 0, signal: 0 },
    });
    expect(jobs.get(ids['cancelled'])).toMatchObject({
      state: { base: 'CANCELLED' },
      exitStatus: { code: 0, signal: 15 },
    });
  });

  it('reads a job pending over the partition limit, with days in its time limit', () => {
    expect(jobs.get(ids['over-limit'])).toMatchObject({
      state: { base: 'PENDING' },
      reason: 'PartitionTimeLimit',
      timeLimitMinutes: 26 * 60 + 3,
    });
  });

  it("reads alice's job as hers", () => {
    expect(present(jobs.get(ids['alice'])).user).toBe('alice');
  });

  it('reads a job caught while COMPLETING as not yet ended', () => {
    const [job] = parseSqueueJobs(recorded('squeue-completing').stdout);
    expect(job).toMatchObject({
      jobId: ids['completing'],
      state: { base: 'RUNNING', flags: ['COMPLETING'], raw: 'COMPLETING' },
    });
    expect(job.endTime).toBeNull();
    expect(job.exitStatus).toBeNull();
  });

  it('reads the job that ran into its time limit', () => {
    const [job] = parseSqueueJobs(recorded('squeue-timeout').stdout);
    expect(job).toMatchObject({
      jobId: ids['timeout'],
      state: { base: 'TIMEOUT' },
      reason: 'TimeLimit',
      timeLimitMinutes: 1,
    });
    expect(job.timeUsedSeconds).toBeGreaterThanOrEqual(60);
  });

  it('reads the empty answers as no jobs', () => {
    expect(parseSqueueJobs(recorded('squeue-all-unknown').stdout)).toEqual([]);
    expect(parseSqueueJobs(recorded('squeue-by-name-none').stdout)).toEqual([]);
  });

  it('refuses output cut short instead of dropping a job silently', () => {
    const stdout = recorded('squeue-jobs').stdout;
    expect(() => parseSqueueJobs(stdout.slice(0, stdout.length - 40))).toThrow();
  });
});
