// An administrator acting on another user's session, SLURM_SUBMIT_AS=user on the local cluster:
// connect, relaunch and stop act on the owner's session and jobs still run as the owner; and a
// portal user with no Unix account is told so before anything is written.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionDto } from '@vizportal/session-domain';
import {
  type ApiTestApp,
  createUsers,
  login,
  startApiTestApp,
  TEST_ADMIN,
} from '../../test/support/api-test-app';
import { SessionClient } from '../../test/support/session-client';

const slurmUser = (jobId: string) =>
  execFileSync('squeue', ['-h', '-t', 'all', '-j', jobId, '-o', '%u']).toString().trim();

describe('an administrator on the sessions of others', () => {
  let api: ApiTestApp;
  let alice: SessionClient;
  let admin: SessionClient;

  beforeAll(async () => {
    api = await startApiTestApp({ SLURM_SUBMIT_AS: 'user' });
    const cookies = await createUsers(api.baseUrl, ['alice']);
    alice = new SessionClient(api.baseUrl, cookies.alice);
    admin = new SessionClient(
      api.baseUrl,
      await login(api.baseUrl, TEST_ADMIN.username, TEST_ADMIN.password),
    );
    await alice.connectSocket();
  });

  afterAll(async () => {
    alice.close();
    await api.close();
  });

  it("connects to, relaunches and stops alice's desktop; the relaunched job is alice's and runs as her", async () => {
    const original = await alice.launch('xterm');
    await alice.waitFor(original.id, (s) => s.state === 'running');

    const grant = await admin.request('POST', `/api/sessions/${original.id}/connect`);
    expect(grant.status).toBe(200);
    expect(await grant.json()).toMatchObject({
      path: expect.stringContaining(`/api/sessions/${original.id}/vnc?token=`),
      password: expect.stringMatching(/^[A-Za-z0-9]{8}$/),
    });

    const relaunch = await admin.request('POST', `/api/sessions/${original.id}/relaunch`);
    expect(relaunch.status).toBe(201);
    const relaunched = (await relaunch.json()) as SessionDto;
    expect(relaunched.owner).toBe('alice');
    // Alice sees both on her own socket: the original stopped, the new one running as her.
    expect((await alice.waitFor(original.id, (s) => s.state === 'cancelled')).endReason).toBe(
      'cancelled-by-user',
    );
    const running = await alice.waitFor(relaunched.id, (s) => s.state === 'running');
    expect(slurmUser(running.jobId as string)).toBe('alice');

    const stop = await admin.request('POST', `/api/sessions/${relaunched.id}/stop`);
    expect(stop.status).toBe(200);
    expect((await stop.json()).state).toBe('cancelled');
    await alice.waitFor(relaunched.id, (s) => s.state === 'cancelled');
  });

  it('refuses, with a sentence and before writing anything, a launch by a user with no Unix account', async () => {
    const cookies = await createUsers(api.baseUrl, ['nounixaccount']);
    const carol = new SessionClient(api.baseUrl, cookies.nounixaccount);
    const folders = readdirSync(join(api.dir, 'sessions')).length;
    const response = await carol.request('POST', '/api/sessions', { appId: 'xterm', values: {} });
    expect(response.status).toBe(403);
    expect((await response.json()).message).toMatch(/no Unix account "nounixaccount" on the cluster/);
    expect((await carol.listAll()).length).toBe(0);
    expect(readdirSync(join(api.dir, 'sessions')).length).toBe(folders);
  });
});
