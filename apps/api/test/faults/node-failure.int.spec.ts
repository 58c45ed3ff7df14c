// A visualization node dies (its slurmd and the job's processes SIGKILLed) on the real local cluster:
// the desktop on it ends failed with "node failure", the session on the other node runs on.
import { execFileSync } from 'node:child_process';
import { isTerminal, type SessionState } from '@vizportal/session-domain';
import { type ApiTestApp, createUsers, startApiTestApp, wsUrl } from '../support/api-test-app';
import { rfbHandshake, webSocketTransport } from '@vizportal/portal-harness';
import { SessionClient } from '../support/session-client';
import { endJobsOf, devCluster, restoreCluster } from './fault-helpers';

describe('faults: a node fails', () => {
  let api: ApiTestApp;
  let alice: SessionClient;
  const launched: string[] = [];

  beforeAll(async () => {
    api = await startApiTestApp();
    alice = new SessionClient(api.baseUrl, (await createUsers(api.baseUrl, ['alice'])).alice);
    await alice.connectSocket();
  });

  afterAll(async () => {
    // `up` starts the node's slurmd again and resumes it (ReturnToService=2 returns it on registering).
    await restoreCluster();
    await endJobsOf(launched).catch(() => undefined);
    alice.close();
    await api.close();
  });

  it('ends the desktop on the dead node failed with "node failure", and leaves the other node\'s session running', async () => {
    // debug holds only viz02; a 4-CPU desktop then fits only on viz01.
    const other = await alice.launch('xterm', { partition: 'debug', hours: 0.5 });
    launched.push(other.id);
    expect((await alice.waitFor(other.id, (s) => s.state === 'running', 90_000)).node).toBe('viz02');
    const victim = await alice.launch('desktop', { cpus: 4 });
    launched.push(victim.id);
    expect((await alice.waitFor(victim.id, (s) => s.state === 'running', 90_000)).node).toBe('viz01');

    await devCluster('kill-node', 'viz01', '--hard');
    // SlurmdTimeout=30: Slurm declares the node DOWN and the job NODE_FAIL after about 40 s.
    const failed = await alice.waitFor(victim.id, (s) => isTerminal(s.state), 120_000);
    expect(failed).toMatchObject({ state: 'failed', endReason: 'node-failure', canConnect: false });
    expect(failed.headline).toMatch(/node failure/i);

    const untouched = await (await alice.request('GET', `/api/sessions/${other.id}`)).json();
    expect(untouched).toMatchObject({ state: 'running', node: 'viz02' });
    expect(alice.statesOf(other.id).filter((state) => isTerminal(state as SessionState))).toEqual([]);
    const grant = await (await alice.request('POST', `/api/sessions/${other.id}/connect`)).json();
    const transport = await webSocketTransport(wsUrl(api.baseUrl, grant.path), { cookie: alice.cookie });
    try {
      expect((await rfbHandshake(transport, grant.password)).width).toBe(1024);
    } finally {
      transport.close();
    }

    // The node comes back as soon as its slurmd registers again, and takes jobs.
    await restoreCluster();
    const nodes = execFileSync('sinfo', ['-h', '-N', '-n', 'viz01', '-o', '%t'], { encoding: 'utf8' });
    expect(nodes.trim().split('\n')[0]).toMatch(/^(idle|mix|alloc)$/);
  });
});
