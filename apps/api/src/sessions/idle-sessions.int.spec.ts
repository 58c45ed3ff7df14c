// Idle auto-stop on the real cluster, with the shortest limits a site can set (1 minute without a
// connection, warned 1 minute before, checked every second): the owner is warned over the socket,
// "keep it" and a VNC connection through the proxy withdraw the warning and start the clock again,
// nobody else can keep someone's session, and once the minute passes with nobody connected the
// portal cancels the job in Slurm, ends the session 'idle' with its sentence, and audits it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rfbHandshake, webSocketTransport } from '@vizportal/portal-harness';
import type { SessionDto } from '@vizportal/session-domain';
import type { AuditPageDto } from '@vizportal/site-policy';
import {
  type ApiTestApp,
  createUsers,
  login,
  startApiTestApp,
  TEST_ADMIN,
  wsUrl,
} from '../../test/support/api-test-app';
import { SessionClient } from '../../test/support/session-client';

const policyFile = join(mkdtempSync(join(tmpdir(), 'vizportal-idle-')), 'policy.yaml');
writeFileSync(policyFile, 'idle:\n  disconnectedMinutes: 1\n  warningMinutes: 1\n');

const jobIsLive = (jobId: string) =>
  execFileSync('squeue', ['-h', '-j', jobId, '-o', '%T']).toString().trim() !== '';

describe('idle auto-stop on the local cluster', () => {
  let api: ApiTestApp;
  let alice: SessionClient;
  let bob: SessionClient;
  let session: SessionDto;

  beforeAll(async () => {
    api = await startApiTestApp({ SITE_POLICY_FILE: policyFile, IDLE_CHECK_SECONDS: '1' });
    const cookies = await createUsers(api.baseUrl, ['alice', 'bob']);
    alice = new SessionClient(api.baseUrl, cookies.alice);
    bob = new SessionClient(api.baseUrl, cookies.bob);
    await alice.connectSocket();
  });

  afterAll(async () => {
    if (session) await alice.request('POST', `/api/sessions/${session.id}/stop`);
    alice?.close();
    await api?.close();
  });

  it('warns the owner, and "keep it" starts the clock again; nobody else may keep it', async () => {
    session = await alice.launch('xterm', { title: 'idle' });
    const running = await alice.waitFor(session.id, (s) => s.state === 'running');
    const warned = await alice.waitFor(session.id, (s) => s.idleStop !== null, 10_000);
    expect(warned.idleStop?.reason).toBe('Stopped after 1 min without a connection.');
    const stopAt = Date.parse(warned.idleStop?.at as string);
    expect(stopAt - Date.parse(running.readyAt as string)).toBeLessThanOrEqual(61_000);

    expect((await bob.request('POST', `/api/sessions/${session.id}/keep`)).status).toBe(404);
    const keptAt = Date.now();
    const kept = await alice.request('POST', `/api/sessions/${session.id}/keep`);
    expect(kept.status).toBe(200);
    expect((await kept.json()).idleStop).toBeNull();
    // Warned again at once (the whole minute is within the warning), for a minute after the keep.
    const again = await alice.waitFor(
      session.id,
      (s) => s.idleStop !== null && Date.parse(s.idleStop.at) >= keptAt + 59_000,
      10_000,
    );
    expect(again.state).toBe('running');
  });

  it('withdraws the warning while a VNC client is connected through the proxy, and counts from its leaving', async () => {
    const grant = await (await alice.request('POST', `/api/sessions/${session.id}/connect`)).json();
    const transport = await webSocketTransport(wsUrl(api.baseUrl, grant.path), { cookie: alice.cookie });
    let leftAt: number;
    try {
      await rfbHandshake(transport, grant.password);
      const connectedAt = Date.now();
      await alice.waitFor(
        session.id,
        (s) => s.idleStop === null && Date.parse(s.updatedAt) >= connectedAt - 1000,
      );
      // Five idle checks with the client connected: no warning comes back.
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const now = (await (await alice.request('GET', `/api/sessions/${session.id}`)).json()) as SessionDto;
      expect(now.idleStop).toBeNull();
    } finally {
      transport.close();
      leftAt = Date.now();
    }
    const warned = await alice.waitFor(
      session.id,
      (s) => s.idleStop !== null && Date.parse(s.idleStop.at) >= leftAt + 58_000,
      10_000,
    );
    expect(Date.parse(warned.idleStop?.at as string)).toBeLessThanOrEqual(leftAt + 62_000);
  });

  it('stops the session a minute after the last client left: job cancelled in Slurm, ended idle with its sentence, audited', async () => {
    const ended = await alice.waitFor(session.id, (s) => s.state === 'cancelled', 90_000);
    expect(ended).toMatchObject({
      endReason: 'idle',
      message: 'Stopped after 1 min without a connection.',
      headline: 'Ended: stopped as idle',
      idleStop: null,
    });
    const jobId = ended.jobId as string;
    const until = Date.now() + 30_000;
    while (jobIsLive(jobId) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 500));
    expect(jobIsLive(jobId)).toBe(false);

    const admin = new SessionClient(
      api.baseUrl,
      await login(api.baseUrl, TEST_ADMIN.username, TEST_ADMIN.password),
    );
    const page = (await (
      await admin.request('GET', `/api/admin/audit?session=${session.id}`)
    ).json()) as AuditPageDto;
    const actions = page.events.map((event) => [event.action, event.actor, event.subject]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['session.keep', 'alice', null],
        ['session.idle-stop', 'vizportal', 'alice'],
      ]),
    );
  }, 150_000);
});
