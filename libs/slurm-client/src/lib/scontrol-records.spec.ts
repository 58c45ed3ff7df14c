// scontrol's Key=Value records (show job, show partition) from recordings of the real cluster.
import { present, recorded, recordedJobIds as ids } from './__fixtures__/recorded-commands';
import {
  jobFromScontrol,
  parseKeyValueLine,
  parseKeyValueRecords,
  partitionFromScontrol,
} from './scontrol-records';
import { parseSqueueJobs } from './squeue-jobs';

function showJob(name: string) {
  const records = parseKeyValueRecords(recorded(`scontrol-job-${name}`).stdout);
  expect(records).toHaveLength(1);
  return jobFromScontrol(records[0]);
}

describe('parseKeyValueLine', () => {
  it('keeps values with spaces (OS=Linux ... #1 SMP) whole', () => {
    const fields = parseKeyValueLine(recorded('scontrol-job-running').stdout.split('\n')[0]);
    expect(fields.get('JobState')).toBe('RUNNING');
    expect(fields.get('AllocNode:Sid')).toMatch(/:/);
    expect(fields.get('CPUs/Task')).toBe('4');
  });

  it('keeps a comment with spaces', () => {
    expect(parseKeyValueLine(recorded('scontrol-job-held').stdout).get('Comment')).toBe(
      'recorded by record-fixtures.sh',
    );
  });
});

describe('jobFromScontrol on recorded output', () => {
  it('reads the failed job with ExitCode=3:0', () => {
    expect(showJob('failed')).toMatchObject({
      jobId: ids['failed'],
      state: { base: 'FAILED' },
      reason: 'NonZeroExitCode',
      exitStatus: { code: 3, signal: 0 },
    });
  });

  it('reads a held job', () => {
    expect(showJob('held')).toMatchObject({
      state: { base: 'PENDING' },
      reason: 'JobHeldUser',
      nodes: [],
      startTime: null,
      timeLimitMinutes: 5,
    });
  });

  it('reads the owner from UserId=alice(uid)', () => {
    expect(showJob('alice').user).toBe('alice');
  });

  it('reads the time-out and the cancel', () => {
    expect(showJob('cancelled')).toMatchObject({
      state: { base: 'CANCELLED' },
      exitStatus: { code: 0, signal: 15 },
    });
    expect(showJob('timeout')).toMatchObject({ state: { base: 'TIMEOUT' }, reason: 'TimeLimit' });
  });

  it('reads COMPLETING as not ended', () => {
    expect(showJob('completing')).toMatchObject({ state: { flags: ['COMPLETING'] }, endTime: null });
  });

  it('gives the same facts as squeue for the same job', () => {
    const fromSqueue = parseSqueueJobs(recorded('squeue-jobs').stdout);
    for (const name of ['running', 'failed', 'completed', 'held', 'alice']) {
      const a = showJob(name);
      const b = present(
        fromSqueue.find((j) => j.jobId === ids[name]),
        name,
      );
      // Time used and stdout path differ by design (moment of recording, %j expanded by scontrol).
      const pick = (j: typeof a) => ({
        name: j.name,
        user: j.user,
        partition: j.partition,
        base: j.state.base,
        reason: j.reason,
        nodes: j.nodes,
        cpus: j.cpus,
        memoryMb: j.memoryMb,
        submitTime: j.submitTime,
        startTime: j.startTime,
        endTime: j.endTime,
        timeLimitMinutes: j.timeLimitMinutes,
        exitStatus: j.exitStatus,
      });
      expect(pick(a)).toEqual(pick(b));
    }
  });
});

describe('partitionFromScontrol on recorded output', () => {
  const partitions = parseKeyValueRecords(recorded('scontrol-partitions').stdout).map(partitionFromScontrol);

  it('reads both partitions with their limits', () => {
    expect(partitions).toEqual([
      expect.objectContaining({
        name: 'viz',
        isDefault: true,
        state: 'UP',
        maxTimeMinutes: 480,
        defaultTimeMinutes: 60,
        nodes: ['viz01', 'viz02'],
        totalNodes: 2,
        totalCpus: 8,
        maxNodesPerJob: null,
        maxCpusPerNode: null,
        maxMemoryPerNodeMb: null,
        gres: {},
      }),
      expect.objectContaining({
        name: 'debug',
        isDefault: false,
        maxTimeMinutes: 30,
        defaultTimeMinutes: 10,
        nodes: ['viz02'],
        totalCpus: 4,
        maxNodesPerJob: 1,
      }),
    ]);
    expect(partitions[0].tres).toMatchObject({ cpu: '8', node: '2' });
  });
});
