// Sessions end to end on the real local cluster: the whole API (real SQLite file, real Slurm,
// real Xvnc desktops), two users, the socket, the VNC proxy and a restart.
import { execFileSync } from 'node:child_process';
import type { SessionDto } from '@vizportal/session-domain';
import { RfbAuthError, rfbHandshake, webSocketTransport } from '@vizportal/portal-harness';
import { type ApiTestApp, createUsers, startApiTestApp, wsUrl } from '../../test/support/api-test-app';
import { SessionClient } from '../../test/support/session-client';

describe('sessions on the local cluster', () => {
  let api: ApiTestApp;
  let alice: SessionClient;
  let bob: SessionClient;
  const launched: string[] = [];

  beforeAll(async () => {
    api = await startApiTestApp();
    const cookies = await createUsers(api.baseUrl, ['alice', 'bob']);
    alice = new SessionClient(api.baseUrl, cookies.alice);
    bob = new SessionClient(api.baseUrl, cookies.bob);
    await alice.connectSocket();
    await bob.connectSocket();
  });

  afterAll(async () => {
    for (const id of launched) await alice.request('POST', `/api/sessions/${id}/stop`);
    alice.close();
    bob.close();
    await api.close();
  });

  let desktop: SessionDto;

  it('launches a desktop: the socket shows it queued or starting, then running, in order', async () => {
    desktop = await alice.launch('desktop', { cpus: 1 });
    launched.push(desktop.id);
    expect(['submitting', 'queued', 'starting']).toContain(desktop.state);
    expect(desktop.owner).toBe('alice');
    const running = await alice.waitFor(desktop.id, (s) => s.state === 'running');
    expect(running.canConnect).toBe(true);
    expect(running.node).toMatch(/^viz0[12]$/);
    const states = alice.statesOf(desktop.id);
    expect(states[states.length - 1]).toBe('running');
    const order = ['submitting', 'queued', 'starting', 'running'];
    expect(states.map((s) => order.indexOf(s))).toEqual([...states.map((s) => order.indexOf(s))].sort());
  });

  it('connects through the proxy with a single-use token, and completes the VNC handshake', async () => {
    const grant = await (await alice.request('POST', `/api/sessions/${desktop.id}/connect`)).json();
    expect(grant.path).toContain(`/api/sessions/${desktop.id}/vnc?token=`);
    const transport = await webSocketTransport(wsUrl(api.baseUrl, grant.path), { cookie: alice.cookie });
    try {
      expect(await rfbHandshake(transport, grant.password)).toMatchObject({ width: 1280, height: 800 });
    } finally {
      transport.close();
    }
    // The same token twice is refused.
    await expect(
      webSocketTransport(wsUrl(api.baseUrl, grant.path), { cookie: alice.cookie }),
    ).rejects.toThrow(/403/);
  });

  it('refuses a wrong VNC password at the desktop itself', async () => {
    const grant = await (await alice.request('POST', `/api/sessions/${desktop.id}/connect`)).json();
    const transport = await webSocketTransport(wsUrl(api.baseUrl, grant.path), { cookie: alice.cookie });
    try {
      await expect(rfbHandshake(transport, 'wrongpw!')).rejects.toBeInstanceOf(RfbAuthError);
    } finally {
      transport.close();
    }
  });

  it("keeps bob away from alice's session on every route, the socket and the proxy", async () => {
    expect((await bob.listAll()).map((s) => s.id)).not.toContain(desktop.id);
    for (const [method, path] of [
      ['GET', `/api/sessions/${desktop.id}`],
      ['GET', `/api/sessions/${desktop.id}/log`],
      ['POST', `/api/sessions/${desktop.id}/stop`],
      ['POST', `/api/sessions/${desktop.id}/connect`],
      ['POST', `/api/sessions/${desktop.id}/relaunch`],
      ['DELETE', `/api/sessions/${desktop.id}`],
    ]) {
      expect([method, path, (await bob.request(method, path)).status]).toEqual([method, path, 404]);
    }
    // alice's token in bob's hands is refused too.
    const grant = await (await alice.request('POST', `/api/sessions/${desktop.id}/connect`)).json();
    await expect(webSocketTransport(wsUrl(api.baseUrl, grant.path), { cookie: bob.cookie })).rejects.toThrow(
      /403/,
    );
    // And without any login.
    const another = await (await alice.request('POST', `/api/sessions/${desktop.id}/connect`)).json();
    await expect(webSocketTransport(wsUrl(api.baseUrl, another.path))).rejects.toThrow(/401/);
    expect(bob.updates.filter((u) => u.id === desktop.id)).toEqual([]);
  });

  it('refuses bad input with 400 and a message per field, and submits nothing', async () => {
    const before = (await alice.listAll()).length;
    const cases: Array<[unknown, RegExp]> = [
      [{ appId: 'no-such-app', values: {} }, /appId: there is no app/],
      [{ appId: 'desktop', values: { cpus: 99 } }, /cpus/],
      [{ appId: 'desktop', values: { cpus: 'two' } }, /cpus/],
      [{ appId: 'desktop', values: { shell: '$(touch /tmp/x)' } }, /shell/],
      [{ appId: 'desktop', values: {}, extra: 1 }, /extra/],
      [{ appId: '../etc/passwd', values: {} }, /appId/],
    ];
    for (const [body, message] of cases) {
      const response = await alice.request('POST', '/api/sessions', body);
      const answer = await response.json();
      expect([JSON.stringify(body), response.status]).toEqual([JSON.stringify(body), 400]);
      expect(JSON.stringify(answer.message)).toMatch(message);
    }
    const huge = await alice.request(
      'POST',
      '/api/sessions',
      JSON.stringify({ appId: 'desktop', values: { x: 'y'.repeat(2_000_000) } }),
    );
    expect(huge.status).toBe(413);
    expect((await alice.listAll()).length).toBe(before);
  });

  it("refuses a time over the partition's limit before Slurm is asked, naming the field", async () => {
    const response = await alice.request('POST', '/api/sessions', {
      appId: 'desktop',
      values: { partition: 'debug', hours: 2 },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify((await response.json()).message)).toMatch(/hours/);
  });

  it('stops: scancel, the card stays as cancelled, and nothing is left on the node', async () => {
    const response = await alice.request('POST', `/api/sessions/${desktop.id}/stop`);
    expect(response.status).toBe(200);
    expect((await response.json()).state).toBe('cancelled');
    await alice.waitFor(desktop.id, (s) => s.state === 'cancelled');
    const { sessions } = await alice.list();
    expect(sessions.find((s) => s.id === desktop.id)?.state).toBe('cancelled');
    const grant = await alice.request('POST', `/api/sessions/${desktop.id}/connect`);
    expect(grant.status).toBe(409);
  });

  it('relaunches with the same answers, shows the output log, and deletes', async () => {
    const first = await alice.launch('desktop', { cpus: 2 });
    launched.push(first.id);
    await alice.waitFor(first.id, (s) => s.state === 'running');
    const response = await alice.request('POST', `/api/sessions/${first.id}/relaunch`);
    expect(response.status).toBe(201);
    const second = (await response.json()) as SessionDto;
    launched.push(second.id);
    expect(second.id).not.toBe(first.id);
    expect(second.values).toEqual(first.values);
    expect((await (await alice.request('GET', `/api/sessions/${first.id}`)).json()).state).toBe('cancelled');
    await alice.waitFor(second.id, (s) => s.state === 'running');
    const log = await (await alice.request('GET', `/api/sessions/${second.id}/log`)).json();
    expect(log.text).toMatch(/Xvnc|desktop|display/i);
    expect((await alice.request('DELETE', `/api/sessions/${second.id}`)).status).toBe(204);
    expect((await alice.request('GET', `/api/sessions/${second.id}`)).status).toBe(404);
    expect((await alice.listAll()).map((s) => s.id)).not.toContain(second.id);
  });

  it('lists every live session and pages the ended ones, newest first, with a cursor; a bad page is a 400', async () => {
    const live = await alice.launch('xterm');
    launched.push(live.id);
    // By now alice has the first desktop and the relaunched one cancelled, and this one live.
    const all = await alice.listAll();
    const ended = all.filter((s) => s.canDelete);
    expect(ended.length).toBeGreaterThanOrEqual(2);
    expect(all.map((s) => s.createdAt)).toEqual([...all.map((s) => s.createdAt)].sort().reverse());

    const first = await alice.list({ limit: 1 });
    expect(first.sessions.filter((s) => !s.canDelete).map((s) => s.id)).toContain(live.id);
    expect(first.sessions.filter((s) => s.canDelete).map((s) => s.id)).toEqual([ended[0].id]);
    expect(first.nextBefore).toEqual(expect.any(String));
    const walked = [...first.sessions.filter((s) => s.canDelete)];
    for (let before = first.nextBefore; before; ) {
      const page = await alice.list({ limit: 1, before });
      expect(page.sessions.every((s) => s.canDelete)).toBe(true);
      walked.push(...page.sessions);
      before = page.nextBefore;
    }
    expect(walked.map((s) => s.id)).toEqual(ended.map((s) => s.id));

    for (const query of ['limit=0', 'limit=500', 'before=nonsense']) {
      const response = await alice.request('GET', `/api/sessions?${query}`);
      expect([query, response.status]).toEqual([query, 400]);
      expect((await response.json()).message[0]).toMatch(/^(limit|before) must be/);
    }
    await alice.request('POST', `/api/sessions/${live.id}/stop`);
  });

  it('survives a restart of the API on the same database: running stays running and connectable; a job cancelled meanwhile shows cancelled', async () => {
    const keep = await alice.launch('xterm');
    const gone = await alice.launch('xterm');
    launched.push(keep.id, gone.id);
    await alice.waitFor(keep.id, (s) => s.state === 'running');
    const goneRunning = await alice.waitFor(gone.id, (s) => s.state === 'running');
    alice.close();
    bob.close();
    const dir = api.dir;
    await api.app.close();
    execFileSync('scancel', [goneRunning.jobId as string]);
    api = await startApiTestApp({}, dir);
    const cookies = await createUsers(api.baseUrl, ['alice']);
    alice = new SessionClient(api.baseUrl, cookies.alice);
    await alice.connectSocket();
    const after = await (await alice.request('GET', `/api/sessions/${keep.id}`)).json();
    expect(after.state).toBe('running');
    const grant = await (await alice.request('POST', `/api/sessions/${keep.id}/connect`)).json();
    const transport = await webSocketTransport(wsUrl(api.baseUrl, grant.path), { cookie: alice.cookie });
    try {
      expect((await rfbHandshake(transport, grant.password)).width).toBeGreaterThan(0);
    } finally {
      transport.close();
    }
    // The first tick after the restart may come before this socket connects: read it over REST.
    const until = Date.now() + 30_000;
    let state = '';
    while (Date.now() < until && state !== 'cancelled') {
      state = (await (await alice.request('GET', `/api/sessions/${gone.id}`)).json()).state;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(state).toBe('cancelled');
    bob = new SessionClient(api.baseUrl, (await createUsers(api.baseUrl, ['bob'])).bob);
  });
});
