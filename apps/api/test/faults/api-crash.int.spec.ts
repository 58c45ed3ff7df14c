// A crash of the API (SIGKILL of the built API in a child process) under 10 live sessions on the
// real local cluster: started again on the same database, every session is back in its right state
// and every running desktop reconnects through the proxy.
import { rmSync } from 'node:fs';
import type { SessionDto } from '@vizportal/session-domain';
import { BuiltApi } from '@vizportal/portal-harness';
import { TEST_ADMIN, createUsers, wsUrl } from '../support/api-test-app';
import { rfbHandshake, webSocketTransport } from '@vizportal/portal-harness';
import { SessionClient } from '../support/session-client';
import { endJobsOf, isSettled, sessionsById, slurmJobs, waitUntil } from './fault-helpers';

// A job Slurm runs is a starting session until its desktop reports ready.
const EXPECTED_STATES: Record<string, Array<SessionDto['state']>> = {
  RUNNING: ['running', 'starting'],
  PENDING: ['queued'],
};

describe('faults: the API is SIGKILLed', () => {
  // The built API as the in-process test API runs: test mode, fast polls, the test admin; and
  // nothing of the jest process's environment.
  const api = new BuiltApi({
    nodeEnv: 'test',
    inheritEnv: false,
    // Root runs the API here: its service-mode jobs run as the dev cluster's unprivileged account.
    jobAccount: 'vizportal',
    admin: TEST_ADMIN,
    pollIntervalsMs: { fast: 300, slow: 1000 },
  });
  const launched: string[] = [];

  beforeAll(() => api.start());

  afterAll(async () => {
    await api.kill();
    await endJobsOf(launched).catch(() => undefined);
    // A cancelled job's wrapper may still be writing its log as it ends.
    rmSync(api.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  it('brings back 10 of 10 sessions in their right states, and the running desktops reconnect', async () => {
    let alice = new SessionClient(api.baseUrl, (await createUsers(api.baseUrl, ['alice'])).alice);
    for (let i = 0; i < 10; i++) launched.push((await alice.launch('xterm', { title: `crash ${i}` })).id);
    const before = await waitUntil(
      'all 10 sessions running, or queued for a reason Slurm gives',
      async () => {
        const now = await sessionsById(alice);
        return launched.every((id) => isSettled(now.get(id))) ? now : undefined;
      },
      120_000,
    );
    const statesBefore = launched.map((id) => before.get(id)?.state);
    expect(statesBefore).toContain('running');
    expect(statesBefore).toContain('queued');

    const pid = api.pid;
    await api.kill();
    expect(() => process.kill(pid as number, 0)).toThrow();
    await api.start();

    // The login cookie lives in the database: it survived the crash too.
    alice = new SessionClient(api.baseUrl, alice.cookie);
    const wasRunning = launched.filter((_, i) => statesBefore[i] === 'running');
    const after = await sessionsById(alice);
    expect(wasRunning.map((id) => [id, after.get(id)?.state])).toEqual(
      wasRunning.map((id) => [id, 'running']),
    );
    // A queued job may start while the API is down (an earlier job ending frees a node); once the
    // poller has looked, every session says what Slurm says.
    await waitUntil(
      'every session agrees with Slurm',
      async () => {
        const slurmState = new Map(slurmJobs().map((job) => [job.jobId, job.state]));
        const now = await sessionsById(alice);
        return launched.every((id) => {
          const session = now.get(id) as SessionDto;
          return EXPECTED_STATES[slurmState.get(session.jobId as string) ?? 'missing']?.includes(
            session.state,
          );
        });
      },
      30_000,
    );

    for (const id of wasRunning) {
      const response = await alice.request('POST', `/api/sessions/${id}/connect`);
      expect([id, response.ok]).toEqual([id, true]);
      const grant = await response.json();
      const transport = await webSocketTransport(wsUrl(api.baseUrl, grant.path), { cookie: alice.cookie });
      try {
        expect((await rfbHandshake(transport, grant.password)).width).toBe(1024);
      } finally {
        transport.close();
      }
    }
  });
});
