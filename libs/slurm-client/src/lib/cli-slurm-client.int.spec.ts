// Integration tests against the local Slurm 22.05 cluster (tools/dev-cluster: viz01, viz02 with
// 4 CPUs each; partitions viz and debug; users alice and bob). Run as root:
//   npx nx run slurm-client:integration
// Every job submitted here is cancelled in afterAll. The 1-minute TIMEOUT job is started early
// and checked last, so its minute passes while the other tests run.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CliSlurmClient } from './cli-slurm-client';
import { effectiveArgv, ProcessCommandRunner, type CommandRunner, type CommandSpec } from './command-runner';
import { isJobEnded } from './job-state';
import type { JobInfo, SubmitRequest } from './slurm-client';
import { JobNotFoundError, JobRejectedError, SlurmUnavailableError } from './slurm-errors';

const run = promisify(execFile);
const DEV_CLUSTER = resolve(__dirname, '../../../../tools/dev-cluster/dev-cluster.sh');
const RUN_ID = `int-${Date.now().toString(36)}`;

/** Counts the commands the client starts (the "one command for many jobs" promise). */
class CountingRunner implements CommandRunner {
  readonly specs: CommandSpec[] = [];
  private readonly inner = new ProcessCommandRunner();
  run(spec: CommandSpec) {
    this.specs.push(spec);
    return this.inner.run(spec);
  }
}

const slurm = new CliSlurmClient({ commandTimeoutMs: 15_000 });
const asUsers = new CliSlurmClient({ commandTimeoutMs: 15_000, submitAs: 'user' });
const submitted: string[] = [];
let outDir: string;
let tokenCount = 0;

function newToken(label: string): string {
  tokenCount += 1;
  return `${RUN_ID}-${label}-${tokenCount}`;
}

function job(label: string, more: Partial<SubmitRequest> = {}): SubmitRequest {
  return {
    token: newToken(label),
    script: '#!/bin/bash\nsleep 300\n',
    partition: 'viz',
    cpus: 1,
    memoryMb: 256,
    timeLimitMinutes: 10,
    outputPath: join(outDir, '%j.out'),
    workDir: outDir,
    // As the API submits: no `su - user` on the node to load a login environment.
    exportEnv: 'all',
    ...more,
  };
}

async function submit(request: SubmitRequest, client = slurm): Promise<string> {
  const { jobId } = await client.submit(request);
  submitted.push(jobId);
  return jobId;
}

async function waitForJob(
  jobId: string,
  done: (job: JobInfo) => boolean,
  timeoutMs: number,
): Promise<JobInfo> {
  const until = Date.now() + timeoutMs;
  let last: JobInfo | undefined;
  while (Date.now() < until) {
    try {
      const { jobs } = await slurm.queryJobs([jobId]);
      last = jobs.find((j) => j.jobId === jobId);
      if (last !== undefined && done(last)) return last;
    } catch (err) {
      // The slurmctld test stops the controller while the TIMEOUT job is being watched: keep polling.
      if (!(err instanceof SlurmUnavailableError)) throw err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `job ${jobId} did not get there within ${timeoutMs} ms; last state: ${last?.state.raw ?? 'not listed'}`,
  );
}

/** start-ctld, then wait until sinfo answers again. */
async function startControllerAndWait(): Promise<void> {
  await run('bash', [DEV_CLUSTER, 'start-ctld']);
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      await slurm.listNodes();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

const running = (j: JobInfo) => j.state.base === 'RUNNING' && j.state.flags.length === 0;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'slurm-client-int-'));
  chmodSync(outDir, 0o1777); // alice's job writes here too
  const nodes = await slurm.listNodes();
  expect(nodes.map((n) => n.name).sort()).toEqual(['viz01', 'viz02']);
});

afterAll(async () => {
  await Promise.allSettled(submitted.map((id) => slurm.cancel(id)));
  rmSync(outDir, { recursive: true, force: true });
});

describe('CliSlurmClient on the local cluster', () => {
  it('reads partitions with their limits and nodes with their addresses', async () => {
    const info = await slurm.clusterInfo();
    const viz = info.partitions.find((p) => p.name === 'viz');
    const debug = info.partitions.find((p) => p.name === 'debug');
    expect(viz).toMatchObject({
      isDefault: true,
      maxTimeMinutes: 480,
      nodes: ['viz01', 'viz02'],
      totalCpus: 8,
    });
    expect(debug).toMatchObject({ isDefault: false, maxTimeMinutes: 30, nodes: ['viz02'] });
    for (const node of info.nodes) {
      expect(node).toMatchObject({ address: '127.0.0.1', cpus: { total: 4 }, memoryMb: { total: 4096 } });
    }
    expect(info.nodes.find((n) => n.name === 'viz02')?.partitions.sort()).toEqual(['debug', 'viz']);
  });

  it('places two jobs of 4 CPUs each on the two nodes', async () => {
    const a = await submit(job('spread', { cpus: 4 }));
    const b = await submit(job('spread', { cpus: 4 }));
    const [ja, jb] = await Promise.all([waitForJob(a, running, 60_000), waitForJob(b, running, 60_000)]);
    expect(ja.cpus).toBe(4);
    expect([...ja.nodes, ...jb.nodes].sort()).toEqual(['viz01', 'viz02']);
    expect(ja.batchHost).toBe(ja.nodes[0]);
    await Promise.all([slurm.cancel(a), slurm.cancel(b)]);
    await Promise.all([
      waitForJob(a, (j) => isJobEnded(j.state), 30_000),
      waitForJob(b, (j) => isJobEnded(j.state), 30_000),
    ]);
  });

  let timeoutJob: Promise<JobInfo> | undefined;
  it('starts a job with a 1-minute limit (checked at the end)', async () => {
    const id = await submit(job('timeout', { timeLimitMinutes: 1, script: '#!/bin/bash\nsleep 600\n' }));
    await waitForJob(id, running, 60_000);
    timeoutJob = waitForJob(id, (j) => isJobEnded(j.state), 240_000);
    // Keeps an early failure from surfacing as an unhandled rejection; the last test awaits it.
    timeoutJob.catch(() => undefined);
  });

  it('shows a job queued, then running, then CANCELLED after cancel', async () => {
    const id = await submit(job('lifecycle', { hold: true }));
    const queued = await waitForJob(id, () => true, 10_000);
    expect(queued.state.base).toBe('PENDING');
    expect(queued.reason).toBe('JobHeldUser');
    expect(queued.nodes).toEqual([]);

    await run('scontrol', ['release', id]);
    const started = await waitForJob(id, running, 60_000);
    expect(started.nodes).toHaveLength(1);
    expect(started.startTime).toBeInstanceOf(Date);

    expect(await slurm.cancel(id)).toEqual({ jobId: id, outcome: 'requested' });
    const ended = await waitForJob(id, (j) => isJobEnded(j.state), 30_000);
    expect(ended.state.base).toBe('CANCELLED');
    expect(ended.endTime).toBeInstanceOf(Date);

    // Cancelling again is not an error; scontrol still knows the ended job.
    expect(await slurm.cancel(id)).toEqual({ jobId: id, outcome: 'already-ended' });
    expect((await slurm.showJob(id)).state.base).toBe('CANCELLED');
  });

  it("rejects an unknown partition with Slurm's message", async () => {
    const attempt = slurm.submit(job('rejected', { partition: 'nosuchpartition' }));
    await expect(attempt).rejects.toThrow(JobRejectedError);
    await expect(attempt).rejects.toMatchObject({
      slurmMessage: expect.stringContaining('invalid partition specified: nosuchpartition'),
    });
  });

  it('finds a job again by its token', async () => {
    const request = job('find', { hold: true });
    const id = await submit(request);
    const found = await slurm.findByToken(request.token);
    expect(found).toMatchObject({
      jobId: id,
      name: `vizportal-${request.token}`,
      state: { base: 'PENDING' },
    });
    expect(await slurm.findByToken(newToken('never-submitted'))).toBeNull();
  });

  it('queries 20 jobs with one command and lists the unknown id apart', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await submit(job('batch', { hold: true })));
    // A client of its own: the 1-minute job's watcher polls through the shared one meanwhile.
    const counting = new CountingRunner();
    const result = await new CliSlurmClient({ commandTimeoutMs: 15_000 }, counting).queryJobs([
      ...ids,
      '9999999',
    ]);
    expect(counting.specs.map((spec) => spec.argv[0])).toEqual(['squeue']);
    expect(result.jobs.map((j) => j.jobId).sort()).toEqual([...ids].sort());
    expect(result.notListed).toEqual(['9999999']);
    expect(result.jobs.every((j) => j.state.base === 'PENDING')).toBe(true);
  });

  it('reports a purged or unknown job as not listed, and showJob as JobNotFoundError', async () => {
    expect(await slurm.queryJobs(['9999999'])).toEqual({ jobs: [], notListed: ['9999999'] });
    await expect(slurm.showJob('9999999')).rejects.toThrow(JobNotFoundError);
    await expect(slurm.cancel('9999999')).rejects.toThrow(JobNotFoundError);
  });

  it('hands a secret to the job through the environment, never on a command line', async () => {
    const secret = 'not-in-argv-' + Date.now();
    const script = '#!/bin/bash\nprintf "%s|%s" "$VIZPORTAL_TEST_SECRET" "$SERVICE_ONLY_SECRET"\n';
    // The service's own environment must never reach a job, even with --export=ALL.
    process.env.SERVICE_ONLY_SECRET = 'service-secret';
    const spawned: string[][] = [];
    const counting = new CliSlurmClient(
      { commandTimeoutMs: 15_000, submitAs: 'user' },
      { run: (spec) => (spawned.push(effectiveArgv(spec)), new ProcessCommandRunner().run(spec)) },
    );
    const ids = [
      await submit(
        job('secret', {
          asUser: 'alice',
          script,
          timeLimitMinutes: 2,
          exportEnv: 'all',
          secretEnv: { VIZPORTAL_TEST_SECRET: secret },
        }),
        counting,
      ),
      await submit(
        job('secret-all', {
          asUser: 'bob',
          script,
          timeLimitMinutes: 2,
          exportEnv: 'all',
          secretEnv: { VIZPORTAL_TEST_SECRET: secret },
        }),
        counting,
      ),
      await submit(
        job('secret-service', {
          script,
          timeLimitMinutes: 2,
          exportEnv: 'all',
          secretEnv: { VIZPORTAL_TEST_SECRET: secret },
        }),
      ),
    ];
    delete process.env.SERVICE_ONLY_SECRET;
    for (const id of ids) {
      await waitForJob(id, (j) => j.state.base === 'COMPLETED', 90_000);
      expect(readFileSync(join(outDir, `${id}.out`), 'utf8')).toBe(`${secret}|`);
    }
    expect(spawned.flat().join(' ')).not.toContain(secret);
  });

  it('submits as alice through sudo: the job is hers', async () => {
    const request = job('alice', { asUser: 'alice', script: '#!/bin/bash\nid -un\n', timeLimitMinutes: 2 });
    const id = await submit(request, asUsers);
    const ended = await waitForJob(id, (j) => isJobEnded(j.state), 60_000);
    expect(ended.user).toBe('alice');
    expect(ended.state.base).toBe('COMPLETED');
    expect(readFileSync(join(outDir, `${id}.out`), 'utf8').trim()).toBe('alice');
    // bob may not cancel alice's job; alice may.
    const held = await submit(job('alice-held', { asUser: 'alice', hold: true }), asUsers);
    await expect(asUsers.cancel(held, { asUser: 'bob' })).rejects.toThrow(/Access\/permission denied/);
    expect(await asUsers.cancel(held, { asUser: 'alice' })).toEqual({ jobId: held, outcome: 'requested' });
  });

  it('reports a stopped slurmctld as SlurmUnavailableError within the time-out', async () => {
    const id = await submit(job('ctld', { hold: true }));
    const impatient = new CliSlurmClient({ commandTimeoutMs: 2_000 });
    const patient = new CliSlurmClient({ commandTimeoutMs: 12_000 });
    await run('bash', [DEV_CLUSTER, 'stop-ctld']);
    try {
      let started = Date.now();
      const timedOut = await impatient.queryJobs([id, '9999999']).catch((e: unknown) => e);
      expect(timedOut).toBeInstanceOf(SlurmUnavailableError);
      expect((timedOut as SlurmUnavailableError).timedOut).toBe(true);
      expect(Date.now() - started).toBeLessThan(3_000);

      // With room to answer, Slurm's own failure arrives (~4 s with MessageTimeout=5).
      started = Date.now();
      const unreachable = await patient.queryJobs([id, '9999999']).catch((e: unknown) => e);
      expect(unreachable).toBeInstanceOf(SlurmUnavailableError);
      expect(unreachable).toMatchObject({ timedOut: false, exitCode: 1 });
      expect(Date.now() - started).toBeLessThan(12_000);

      await expect(patient.submit(job('ctld-submit'))).rejects.toThrow(SlurmUnavailableError);
      await expect(patient.cancel(id)).rejects.toThrow(SlurmUnavailableError);
    } finally {
      await startControllerAndWait();
    }
    // The held job survived the restart.
    expect((await slurm.queryJobs([id])).jobs[0]?.state.base).toBe('PENDING');
  }, 120_000);

  it('ends the 1-minute job in TIMEOUT', async () => {
    if (timeoutJob === undefined) throw new Error('the 1-minute job was not started');
    const ended = await timeoutJob;
    expect(ended.state.base).toBe('TIMEOUT');
    expect(ended.reason).toBe('TimeLimit');
    expect(ended.timeLimitMinutes).toBe(1);
    expect(ended.timeUsedSeconds).toBeGreaterThanOrEqual(60);
  }, 240_000);
});
