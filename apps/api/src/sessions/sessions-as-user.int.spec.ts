// SLURM_SUBMIT_AS=user: jobs run as the portal user's own Unix account (sudo -n -u), on the real
// cluster with the Unix users alice and bob.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { type ApiTestApp, createUsers, startApiTestApp } from '../../test/support/api-test-app';
import { SessionClient } from '../../test/support/session-client';

const unixUid = (user: string) => Number(execFileSync('id', ['-u', user]).toString().trim());
const slurmUser = (jobId: string) =>
  execFileSync('squeue', ['-h', '-t', 'all', '-j', jobId, '-o', '%u']).toString().trim();

describe('SLURM_SUBMIT_AS=user on the local cluster', () => {
  let api: ApiTestApp;
  let clients: Record<string, SessionClient>;

  beforeAll(async () => {
    api = await startApiTestApp({ SLURM_SUBMIT_AS: 'user' });
    const cookies = await createUsers(api.baseUrl, ['alice', 'bob']);
    clients = {
      alice: new SessionClient(api.baseUrl, cookies.alice),
      bob: new SessionClient(api.baseUrl, cookies.bob),
    };
    await Promise.all(Object.values(clients).map((client) => client.connectSocket()));
  });

  afterAll(async () => {
    Object.values(clients).forEach((client) => client.close());
    await api.close();
  });

  it.each(['alice', 'bob'])(
    "runs %s's desktop as %s, in a staging folder that is theirs, and stops it as them",
    async (user) => {
      const client = clients[user];
      const session = await client.launch('xterm');
      const running = await client.waitFor(session.id, (s) => s.state === 'running');
      expect(slurmUser(running.jobId as string)).toBe(user);
      expect(statSync(join(api.dir, 'sessions', session.id)).uid).toBe(unixUid(user));
      const stopped = await (await client.request('POST', `/api/sessions/${session.id}/stop`)).json();
      expect(stopped.state).toBe('cancelled');
      await client.waitFor(session.id, (s) => s.state === 'cancelled');
    },
  );
});
