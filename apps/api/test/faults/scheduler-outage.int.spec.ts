// Faults of the controller on the real local cluster: slurmctld down for 60 s under 10 live
// sessions, and sbatch hanging past its time-out at submit (slurmctld SIGSTOPped, then continued).
import { isTerminal, type SessionDto, type SessionState } from '@vizportal/session-domain';
import { type ApiTestApp, createUsers, startApiTestApp } from '../support/api-test-app';
import { SessionClient } from '../support/session-client';
import {
  devCluster,
  endJobsOf,
  isSettled,
  jobsOfSession,
  restoreCluster,
  schedulerStatusSocket,
  sessionsById,
  sleep,
  slurmJobs,
  slurmctldPid,
  waitForIdleCluster,
  waitUntil,
} from './fault-helpers';

const COMMAND_TIMEOUT_MS = 3000;
const SLOW_TICK_MS = 1000;
const OUTAGE_MS = 60_000;
// One poller tick after Slurm is back: a tick already waiting on the dead controller ends by the
// command time-out, the next one starts a slow interval later and takes well under a second.
const ONE_TICK_MS = COMMAND_TIMEOUT_MS + SLOW_TICK_MS + 2000;
const IDLE_WAIT_MS = 120_000;
const SETTLE_MS = 120_000;
// The test's own budget is the sum of its waits: jest's default would end it mid-outage and leave
// its body running beside the next suite, with slurmctld stopped and ten jobs still live.
const OUTAGE_TEST_MS = IDLE_WAIT_MS + SETTLE_MS + 30_000 + OUTAGE_MS + ONE_TICK_MS + 60_000;

/** What the session should show for Slurm's state of its job. */
const EXPECTED_STATE: Record<string, SessionDto['state']> = { RUNNING: 'running', PENDING: 'queued' };

describe('faults: the Slurm controller', () => {
  let api: ApiTestApp;
  let alice: SessionClient;
  const launched: SessionDto[] = [];

  beforeAll(async () => {
    api = await startApiTestApp({
      SLURM_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
      POLL_INTERVAL_SLOW_MS: String(SLOW_TICK_MS),
      // Long enough that a launch during the SIGSTOP below validates against the cached partitions.
      CLUSTER_CACHE_MS: '15000',
    });
    alice = new SessionClient(api.baseUrl, (await createUsers(api.baseUrl, ['alice'])).alice);
    await alice.connectSocket();
  });

  afterAll(async () => {
    try {
      process.kill(slurmctldPid(), 'SIGCONT');
    } catch {
      // not stopped, or not running: `up` below starts it
    }
    await restoreCluster();
    await endJobsOf(launched.map((s) => s.id));
    alice.close();
    await api.close();
  });

  it(
    'keeps 10 live sessions (running and queued) through 60 s without slurmctld, says the scheduler is unreachable, and is right one tick after it returns',
    async () => {
      // 10 xterms of 1 CPU and 1 GB on two nodes of 4 CPUs and 4 GB: 8 run, 2 wait for resources.
      // Only on an otherwise idle cluster: while slurmctld is down nothing may end, so nothing can start.
      await waitForIdleCluster(IDLE_WAIT_MS);
      const ten: SessionDto[] = [];
      for (let i = 0; i < 10; i++) ten.push(await alice.launch('xterm', { title: `outage ${i}` }));
      launched.push(...ten);
      // Settled is 8 running, not just every session running or queued with a reason: Slurm may
      // leave a job pending for "Priority" while CPUs are free and start it at its next pass.
      const settled = await waitUntil(
        '8 of the 10 sessions running and the other 2 queued for a reason Slurm gives',
        async () => {
          const now = await sessionsById(alice);
          const running = ten.filter((s) => now.get(s.id)?.state === 'running').length;
          return running === 8 && ten.every((s) => isSettled(now.get(s.id))) ? now : undefined;
        },
        SETTLE_MS,
      );
      const before = new Map(ten.map((s) => [s.id, settled.get(s.id) as SessionDto]));

      const status = await schedulerStatusSocket(api.baseUrl, alice.cookie);
      try {
        await waitUntil(
          'the socket tells a new client the scheduler is reachable',
          () => status.events.at(-1)?.reachable === true,
          5000,
        );
        const stoppedAt = Date.now();
        await devCluster('stop-ctld');

        // During the outage: /api/health answers 503 naming Slurm, and the socket says unreachable.
        const health = await waitUntil(
          '/api/health reporting Slurm down',
          async () => {
            const response = await fetch(`${api.baseUrl}/api/health`);
            const body = await response.json();
            return response.status === 503 && body.details?.slurm?.status === 'down' ? body : undefined;
          },
          30_000,
        );
        expect(health.details.database.status).toBe('up');
        expect(health.details.slurm.message).toEqual(expect.any(String));
        const down = await waitUntil(
          'scheduler.status unreachable on the socket',
          () => status.events.find((e) => !e.reachable),
          15_000,
        );
        expect(down.message).toEqual(expect.any(String));

        await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
        // Still, after 60 s: every session exactly as it was.
        const during = await sessionsById(alice);
        expect(ten.map((s) => during.get(s.id)?.state)).toEqual(ten.map((s) => before.get(s.id)?.state));
        expect(status.events.filter((e) => e.reachable)).toHaveLength(1);

        await devCluster('start-ctld');
        await waitUntil(
          'scheduler.status reachable again',
          () => status.events.slice(1).find((e) => e.reachable),
          ONE_TICK_MS,
        );
      } finally {
        status.close();
        await restoreCluster();
      }

      // Right within one tick: each session shows what Slurm says of its job, and none ended.
      const slurmState = new Map(slurmJobs().map((job) => [job.jobId, job.state]));
      const after = await sessionsById(alice);
      for (const session of ten) {
        const now = after.get(session.id) as SessionDto;
        expect([session.id, now.state]).toEqual([
          session.id,
          EXPECTED_STATE[slurmState.get(now.jobId as string) ?? 'missing'],
        ]);
      }
      const health = await fetch(`${api.baseUrl}/api/health`);
      expect(health.status).toBe(200);
      for (const session of ten)
        expect(alice.statesOf(session.id).filter((state) => isTerminal(state as SessionState))).toEqual([]);

      await endJobsOf(ten.map((s) => s.id));
    },
    OUTAGE_TEST_MS,
  );

  it('loses no session and duplicates no job when sbatch hangs past its time-out (slurmctld SIGSTOPped during the submit)', async () => {
    await endJobsOf(launched.map((s) => s.id));
    // Warm the partitions cache: the launch validates against it while the controller is stopped.
    expect((await alice.request('GET', '/api/cluster')).status).toBe(200);
    const pid = slurmctldPid();
    const three: SessionDto[] = [];
    process.kill(pid, 'SIGSTOP');
    try {
      const launches = await Promise.all(
        [0, 1, 2].map((i) => alice.launch('xterm', { title: `hung sbatch ${i}` })),
      );
      three.push(...launches);
      launched.push(...launches);
      // sbatch was killed at its time-out: the sessions wait for their job, none was given up.
      for (const session of launches) expect(session.state).toBe('submitting');
      // Let the poller's own look-ups (squeue by the job name) time out too, at least once.
      await sleep(COMMAND_TIMEOUT_MS * 2);
    } finally {
      process.kill(pid, 'SIGCONT');
    }

    for (const session of three) {
      const running = await alice.waitFor(session.id, (s) => s.state === 'running', 90_000);
      expect(running.jobId).toMatch(/^\d+$/);
      // Slurm holds exactly one job for the session, and it is the session's.
      expect(jobsOfSession(session.id).map((job) => job.jobId)).toEqual([running.jobId]);
      expect(alice.statesOf(session.id).filter((state) => isTerminal(state as SessionState))).toEqual([]);
    }
    // And no second job turns up later (a resubmission after the first was found would).
    await sleep(COMMAND_TIMEOUT_MS + SLOW_TICK_MS);
    for (const session of three) expect(jobsOfSession(session.id)).toHaveLength(1);
    await endJobsOf(three.map((s) => s.id));
  });
});
