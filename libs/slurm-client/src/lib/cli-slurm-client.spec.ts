// CliSlurmClient end to end against recorded answers: the replay runner only answers the exact recorded argv.
import {
  outcomeOf,
  present,
  recorded,
  recordedJobIds as ids,
  ReplayRunner,
} from './__fixtures__/recorded-commands';
import { CliSlurmClient } from './cli-slurm-client';
import type { CommandOutcome, CommandRunner, CommandSpec } from './command-runner';
import type { SubmitRequest } from './slurm-client';
import {
  InvalidSlurmRequestError,
  JobNotFoundError,
  JobRejectedError,
  SlurmCommandError,
  SlurmPermissionError,
  SlurmUnavailableError,
} from './slurm-errors';

const JOB_DIR = '/tmp/vizportal-fixture-jobs';
const request = (name: string, more: Partial<SubmitRequest> = {}): SubmitRequest => ({
  token: `fixture-${name}`,
  script: present(recorded(`sbatch-${name}`).stdin, 'recorded script'),
  partition: 'viz',
  cpus: 1,
  memoryMb: 256,
  timeLimitMinutes: 5,
  outputPath: `${JOB_DIR}/%j.out`,
  workDir: JOB_DIR,
  ...more,
});

function client(fixtures: string[], config: ConstructorParameters<typeof CliSlurmClient>[0] = {}) {
  const runner = new ReplayRunner(fixtures);
  return { slurm: new CliSlurmClient(config, runner), runner };
}

describe('CliSlurmClient on recorded Slurm 22.05 answers', () => {
  describe('submit', () => {
    it('returns the job id of sbatch --parsable', async () => {
      const { slurm, runner } = client(['sbatch-held']);
      const result = await slurm.submit(
        request('held', { hold: true, comment: 'recorded by record-fixtures.sh' }),
      );
      expect(result).toEqual({
        jobId: ids['held'],
        cluster: null,
        jobName: 'vizportal-fixture-held',
        warnings: [],
      });
      expect(runner.specs[0]).toMatchObject({ timeoutMs: 15000, asUser: undefined });
      expect(runner.specs[0].env?.['SLURM_TIME_FORMAT']).toBe('%s');
    });

    it('submits through sudo -n -u alice when submitAs is user', async () => {
      const { slurm, runner } = client(['sbatch-alice'], { submitAs: 'user' });
      const result = await slurm.submit(request('alice', { asUser: 'alice' }));
      expect(result.jobId).toBe(ids['alice']);
      expect(runner.specs[0].asUser).toBe('alice');
    });

    it('needs asUser when submitAs is user, and ignores it as the service', async () => {
      const { slurm } = client([], { submitAs: 'user' });
      await expect(slurm.submit(request('alice'))).rejects.toThrow(InvalidSlurmRequestError);
      await expect(slurm.submit(request('alice', { asUser: '-s' }))).rejects.toThrow(
        InvalidSlurmRequestError,
      );
      const service = client(['sbatch-held']);
      await service.slurm.submit(
        request('held', { hold: true, comment: 'recorded by record-fixtures.sh', asUser: 'alice' }),
      );
      expect(service.runner.specs[0].asUser).toBeUndefined();
    });

    it.each([
      [
        'sbatch-rejected-partition',
        {},
        'invalid partition specified: nosuch; Batch job submission failed: Invalid partition name specified',
      ],
      [
        'sbatch-rejected-memory',
        { memoryMb: 999999 },
        'Memory specification can not be satisfied; Batch job submission failed: Requested node configuration is not available',
      ],
      ['sbatch-rejected-gres', { gres: 'gpu:1' }, 'Invalid generic resource (gres) specification'],
    ])("%s is a JobRejectedError with Slurm's message", async (name, more, message) => {
      const partition = name === 'sbatch-rejected-partition' ? 'nosuch' : 'viz';
      const { slurm } = client([name]);
      const attempt = slurm.submit({
        ...request('rejected-partition'),
        token: 'fixture-rejected',
        partition,
        ...more,
      });
      await expect(attempt).rejects.toThrow(JobRejectedError);
      await expect(attempt).rejects.toMatchObject({ slurmMessage: message, exitCode: 1 });
    });

    it('reports the controller being down as SlurmUnavailableError, not a rejection', async () => {
      const { slurm } = client(['sbatch-ctld-down']);
      const attempt = slurm.submit({ ...request('ctld-down'), token: 'fixture-ctld-down' });
      await expect(attempt).rejects.toThrow(SlurmUnavailableError);
    });

    it('reports sudo refusing as a command error naming sudo', async () => {
      const { slurm } = client(['sbatch-sudo-unknown-user'], { submitAs: 'user' });
      const attempt = slurm.submit({
        ...request('sudo-unknown-user'),
        token: 'fixture-rejected',
        asUser: 'nosuchuser',
      });
      await expect(attempt).rejects.toThrow(SlurmCommandError);
      await expect(attempt).rejects.toThrow(/sudo could not run sbatch as nosuchuser/);
    });
  });

  describe('queryJobs', () => {
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

    it('asks for many jobs in one squeue command', async () => {
      const { slurm, runner } = client(['squeue-jobs']);
      const result = await slurm.queryJobs(order.map((n) => ids[n]));
      expect(runner.specs).toHaveLength(1);
      expect(result.notListed).toEqual([]);
      expect(result.jobs.map((j) => j.jobId).sort()).toEqual(order.map((n) => ids[n]).sort());
    });

    it('separates the ids Slurm did not list', async () => {
      const { slurm } = client(['squeue-some-unknown']);
      const result = await slurm.queryJobs([ids['running'], '9999999', ids['completed']]);
      expect(result.notListed).toEqual(['9999999']);
      expect(result.jobs.map((j) => j.jobId).sort()).toEqual([ids['running'], ids['completed']].sort());
    });

    it('reads the exit 1 "Invalid job id specified" of a single unknown id as not listed', async () => {
      expect(recorded('squeue-one-unknown').exitCode).toBe(1);
      const { slurm } = client(['squeue-one-unknown']);
      expect(await slurm.queryJobs(['9999999'])).toEqual({ jobs: [], notListed: ['9999999'] });
    });

    it('lists nothing for several unknown ids (exit 0)', async () => {
      const { slurm } = client(['squeue-all-unknown']);
      expect(await slurm.queryJobs(['9999998', '9999999'])).toEqual({
        jobs: [],
        notListed: ['9999998', '9999999'],
      });
    });

    it.each(['squeue-ctld-down', 'squeue-munge-failure', 'squeue-socket-timeout'])(
      '%s is SlurmUnavailableError, never "not listed"',
      async (name) => {
        const { slurm } = client([name]);
        await expect(slurm.queryJobs([ids['running'], ids['completed']])).rejects.toThrow(
          SlurmUnavailableError,
        );
      },
    );

    it('a single id with the controller down is SlurmUnavailableError', async () => {
      const { slurm } = client(['squeue-one-ctld-down']);
      await expect(slurm.queryJobs([ids['running']])).rejects.toThrow(SlurmUnavailableError);
    });

    it('runs nothing for no ids and refuses ids that are not job ids', async () => {
      const { slurm, runner } = client([]);
      expect(await slurm.queryJobs([])).toEqual({ jobs: [], notListed: [] });
      await expect(slurm.queryJobs(['12', '-u root'])).rejects.toThrow(InvalidSlurmRequestError);
      expect(runner.specs).toHaveLength(0);
    });

    it('never reads an error as an empty list', async () => {
      const runner: CommandRunner = {
        run: async (spec: CommandSpec): Promise<CommandOutcome> => ({
          kind: 'exited',
          exitCode: 0,
          signal: null,
          argv: spec.argv,
          stdout: '',
          stderr: 'squeue: error: something went wrong\n',
          durationMs: 1,
        }),
      };
      await expect(new CliSlurmClient({}, runner).queryJobs(['1', '2'])).rejects.toThrow(SlurmCommandError);
    });
  });

  describe('findByToken', () => {
    it('finds the job by its name', async () => {
      const { slurm } = client(['squeue-by-name']);
      const job = await slurm.findByToken('fixture-running');
      expect(job).toMatchObject({ jobId: ids['running'], name: 'vizportal-fixture-running' });
    });

    it('returns null when no job carries the token', async () => {
      const { slurm } = client(['squeue-by-name-none']);
      expect(await slurm.findByToken('fixture-nosuch')).toBeNull();
    });
  });

  describe('showJob', () => {
    it('reads one job', async () => {
      const { slurm } = client(['scontrol-job-failed']);
      expect(await slurm.showJob(ids['failed'])).toMatchObject({
        state: { base: 'FAILED' },
        exitStatus: { code: 3, signal: 0 },
      });
    });

    it('throws JobNotFoundError for a job Slurm does not know', async () => {
      const { slurm } = client(['scontrol-job-unknown']);
      await expect(slurm.showJob('9999999')).rejects.toThrow(JobNotFoundError);
    });

    it('throws SlurmUnavailableError with the controller down', async () => {
      const { slurm } = client(['scontrol-job-ctld-down']);
      await expect(slurm.showJob(ids['running'])).rejects.toThrow(SlurmUnavailableError);
    });
  });

  describe('cancel', () => {
    it('cancels a running job', async () => {
      const { slurm } = client(['scancel-running']);
      expect(await slurm.cancel(ids['cancelled'])).toEqual({ jobId: ids['cancelled'], outcome: 'requested' });
    });

    it('does not throw for a finished or completing job', async () => {
      expect(recorded('scancel-finished').exitCode).toBe(0);
      expect(await client(['scancel-finished']).slurm.cancel(ids['completed'])).toEqual({
        jobId: ids['completed'],
        outcome: 'already-ended',
      });
      expect((await client(['scancel-completing']).slurm.cancel(ids['completing'])).outcome).toBe(
        'already-ended',
      );
    });

    it('throws JobNotFoundError for an unknown job although scancel exits 0', async () => {
      expect(recorded('scancel-unknown').exitCode).toBe(0);
      await expect(client(['scancel-unknown']).slurm.cancel('9999999')).rejects.toThrow(JobNotFoundError);
    });

    it('signals a running job', async () => {
      const { slurm } = client(['scancel-signal-running']);
      expect(await slurm.cancel(ids['running'], { signal: 'USR1' })).toEqual({
        jobId: ids['running'],
        outcome: 'requested',
      });
    });

    it('asks squeue when a signal to a finished job is called "Invalid job id"', async () => {
      expect(recorded('scancel-signal-finished').exitCode).toBe(1);
      const { slurm, runner } = client(['scancel-signal-finished', 'squeue-one-completed']);
      expect(await slurm.cancel(ids['completed'], { signal: 'TERM' })).toEqual({
        jobId: ids['completed'],
        outcome: 'already-ended',
      });
      expect(runner.specs.map((s) => s.argv[0])).toEqual(['scancel', 'squeue']);
    });

    it('throws JobNotFoundError for a signal to an unknown job', async () => {
      const { slurm } = client(['scancel-signal-unknown', 'squeue-one-unknown']);
      await expect(slurm.cancel('9999999', { signal: 'TERM' })).rejects.toThrow(JobNotFoundError);
    });

    it('reports the controller down as SlurmUnavailableError (scancel exits 8)', async () => {
      await expect(client(['scancel-ctld-down']).slurm.cancel(ids['running'])).rejects.toThrow(
        SlurmUnavailableError,
      );
    });

    it("reports alice cancelling someone else's job as a command error", async () => {
      const { slurm } = client(['scancel-other-user'], { submitAs: 'user' });
      const attempt = slurm.cancel(ids['running'], { asUser: 'alice' });
      await expect(attempt).rejects.toThrow(SlurmCommandError);
      await expect(attempt).rejects.toThrow(/Access\/permission denied/);
    });

    it('refuses a bad signal', async () => {
      await expect(client([]).slurm.cancel('1', { signal: 'TERM; rm' })).rejects.toThrow(
        InvalidSlurmRequestError,
      );
    });
  });

  describe('updateTimeLimit', () => {
    // These recordings are of a job of their own: its id is in their argv, not in jobs.json.
    const jobIdOf = (name: string) =>
      present(
        recorded(name).argv.find((word) => word.startsWith('JobId=')),
        'JobId',
      ).slice(6);

    it("raises a running job's limit as the portal's own account, never through sudo", async () => {
      const { slurm, runner } = client(['scontrol-update-running']);
      await slurm.updateTimeLimit(jobIdOf('scontrol-update-running'), 10);
      expect(runner.specs.map((spec) => spec.argv[0])).toEqual(['scontrol']);
    });

    it("throws SlurmPermissionError with Slurm's words when the account is not an operator", async () => {
      // Slurm's real answer to alice raising her own running job's limit, given to the portal's command.
      const denied = recorded('scontrol-update-denied');
      expect(denied.exitCode).toBe(1);
      const runner: CommandRunner = {
        run: async (spec: CommandSpec): Promise<CommandOutcome> => ({
          ...outcomeOf(denied),
          argv: spec.argv,
        }),
      };
      const attempt = new CliSlurmClient({}, runner).updateTimeLimit(jobIdOf('scontrol-update-denied'), 20);
      await expect(attempt).rejects.toThrow(SlurmPermissionError);
      await expect(attempt).rejects.toThrow(/Access\/permission denied/);
    });

    it('throws JobNotFoundError for an unknown job', async () => {
      await expect(client(['scontrol-update-unknown']).slurm.updateTimeLimit('9999999', 10)).rejects.toThrow(
        JobNotFoundError,
      );
    });

    it('refuses a limit that is not a whole number of minutes from 1 to a year, before running anything', async () => {
      const { slurm, runner } = client([]);
      for (const minutes of [0, -5, 1.5, 525_601, Number.NaN])
        await expect(slurm.updateTimeLimit('12', minutes)).rejects.toThrow(InvalidSlurmRequestError);
      await expect(slurm.updateTimeLimit('12; rm', 10)).rejects.toThrow(InvalidSlurmRequestError);
      expect(runner.specs).toHaveLength(0);
    });
  });

  describe('cluster', () => {
    it('reads partitions and nodes, one command each', async () => {
      const { slurm, runner } = client(['scontrol-partitions', 'sinfo-nodes']);
      const info = await slurm.clusterInfo();
      expect(runner.specs).toHaveLength(2);
      expect(info.partitions.map((p) => p.name)).toEqual(['viz', 'debug']);
      expect(info.nodes.map((n) => [n.name, n.address])).toEqual([
        ['viz01', '127.0.0.1'],
        ['viz02', '127.0.0.1'],
      ]);
    });

    it('reports the controller down as SlurmUnavailableError', async () => {
      await expect(client(['scontrol-partitions-ctld-down']).slurm.listPartitions()).rejects.toThrow(
        SlurmUnavailableError,
      );
      await expect(client(['sinfo-ctld-down']).slurm.listNodes()).rejects.toThrow(SlurmUnavailableError);
    });
  });

  describe('configuration', () => {
    it('runs the tools from binDir when given', async () => {
      const seen: string[][] = [];
      const runner: CommandRunner = {
        run: async (spec) => {
          seen.push([...spec.argv]);
          return {
            kind: 'exited',
            exitCode: 0,
            signal: null,
            argv: spec.argv,
            stdout: '',
            stderr: '',
            durationMs: 1,
          };
        },
      };
      await new CliSlurmClient({ binDir: '/opt/slurm/bin', commandTimeoutMs: 1234 }, runner).queryJobs([
        '1',
        '2',
      ]);
      expect(seen[0][0]).toBe('/opt/slurm/bin/squeue');
    });

    it('drops variables that steer the tools from their environment', async () => {
      process.env['SQUEUE_FORMAT'] = '%i';
      process.env['SBATCH_PARTITION'] = 'debug';
      try {
        const { slurm, runner } = client(['squeue-all-unknown'], {
          env: { SLURM_CONF: '/etc/slurm/other.conf' },
        });
        await slurm.queryJobs(['9999998', '9999999']);
        const env = present(runner.specs[0].env, 'env');
        expect(env['SQUEUE_FORMAT']).toBeUndefined();
        expect(env['SBATCH_PARTITION']).toBeUndefined();
        expect(env['SLURM_CONF']).toBe('/etc/slurm/other.conf');
        expect(env['PATH']).toBe(process.env['PATH']);
      } finally {
        delete process.env['SQUEUE_FORMAT'];
        delete process.env['SBATCH_PARTITION'];
      }
    });

    it('turns a program that cannot be started into SlurmCommandError', async () => {
      const slurm = new CliSlurmClient({ binDir: '/nonexistent/slurm/bin' });
      const attempt = slurm.listNodes();
      await expect(attempt).rejects.toThrow(SlurmCommandError);
      await expect(attempt).rejects.toMatchObject({ spawnErrorCode: 'ENOENT' });
    });
  });
});
