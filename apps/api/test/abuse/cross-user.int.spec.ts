// The cross-user matrix, on the local cluster: alice's running desktop, attacked on every route
// that takes a session id (from SessionsController), the Socket.IO channel and the VNC proxy, by
// bob, by no one, and with forged, garbled, expired and replayed credentials and tokens. Every
// cell must be refused, and afterwards the session is untouched: still running, the same job,
// no session made by a relaunch, the desktop still reachable by alice. (The basic bob-only check
// in sessions/sessions.int.spec.ts stays there; this is the exhaustive version.)
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import type { SessionDto } from '@vizportal/session-domain';
import { io } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { LoginSessionEntity } from '../../src/auth/entities/login-session.entity';
import { SessionRepository } from '../../src/sessions/session.repository';
import { type ApiTestApp, createUsers, login, startApiTestApp, wsUrl } from '../support/api-test-app';
import { rfbHandshake, webSocketTransport } from '@vizportal/portal-harness';
import { SessionClient } from '../support/session-client';
import { countBy, SESSION_ROUTES, tryUpgrade, type UpgradeOutcome } from './abuse-helpers';

const TOKEN_TTL_SECONDS = 2;

interface Cell {
  surface: 'rest' | 'socket' | 'vnc';
  what: string;
  who: string;
  refused: boolean;
  got: string;
}

describe('the cross-user matrix on a running desktop', () => {
  let api: ApiTestApp;
  let alice: SessionClient;
  let bob: SessionClient;
  let target: SessionDto;
  const cells: Cell[] = [];

  /** Who tries: a name and the Cookie header they send (none for no one). */
  const intruders: Record<string, string | undefined> = {};

  beforeAll(async () => {
    api = await startApiTestApp({ VNC_CONNECT_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS) });
    const cookies = await createUsers(api.baseUrl, ['alice', 'bob']);
    alice = new SessionClient(api.baseUrl, cookies.alice);
    bob = new SessionClient(api.baseUrl, cookies.bob);
    // bob listens from before the launch: he must see none of the session's updates.
    await bob.connectSocket();
    await alice.connectSocket();
    target = await alice.launch('xterm', { title: 'alice only' });
    await alice.waitFor(target.id, (s) => s.state === 'running', 90_000);

    const alicePassword = 'alice-password-for-tests';
    const expired = await login(api.baseUrl, 'alice', alicePassword);
    const tokenHash = createHash('sha256').update(expired.split('=')[1]).digest('hex');
    await api.app
      .get(DataSource)
      .getRepository(LoginSessionEntity)
      .update({ tokenHash }, { expiresAt: new Date(Date.now() - 1_000) });
    const loggedOut = await login(api.baseUrl, 'alice', alicePassword);
    expect(
      (await fetch(`${api.baseUrl}/api/auth/logout`, { method: 'POST', headers: { cookie: loggedOut } }))
        .status,
    ).toBe(204);
    const aliceToken = cookies.alice.split('=')[1];
    Object.assign(intruders, {
      'bob (another user)': cookies.bob,
      'no one (no cookie)': undefined,
      'a forged cookie': `vizportal_session=${randomBytes(32).toString('base64url')}`,
      "alice's cookie with one character changed": `vizportal_session=${aliceToken.slice(0, -1)}${aliceToken.endsWith('A') ? 'B' : 'A'}`,
      'a garbled cookie (percent junk)': 'vizportal_session=%%%zz%00',
      'a garbled cookie (signed-cookie syntax)': `vizportal_session=s:${aliceToken}.forgedsignature`,
      'a garbled cookie (8 kB)': `vizportal_session=${'A'.repeat(8_000)}`,
      'an empty cookie': 'vizportal_session=',
      "alice's cookie under another name": `vizportal_sess=${aliceToken}`,
      "alice's expired login": expired,
      "alice's login replayed after logout": loggedOut,
    });
  }, 150_000);

  afterAll(async () => {
    await alice?.request('POST', `/api/sessions/${target?.id}/stop`);
    alice?.close();
    bob?.close();
    await api?.close();
  });

  it('refuses every REST route that takes a session id, for everyone but alice', async () => {
    for (const [who, cookie] of Object.entries(intruders)) {
      const expected = who.startsWith('bob') ? 404 : 401;
      for (const [method, path] of SESSION_ROUTES) {
        const response = await fetch(`${api.baseUrl}${path(target.id)}`, {
          method,
          headers: cookie ? { cookie } : {},
        });
        const text = await response.text();
        cells.push({
          surface: 'rest',
          what: `${method} ${path(':id')}`,
          who,
          refused: response.status === expected,
          got: `${response.status} ${text.slice(0, 100)}`,
        });
      }
      const list = await fetch(`${api.baseUrl}/api/sessions`, { headers: cookie ? { cookie } : {} });
      const text = await list.text();
      const refused = who.startsWith('bob')
        ? list.status === 200 && !text.includes(target.id)
        : list.status === 401;
      cells.push({
        surface: 'rest',
        what: 'GET /api/sessions (the list)',
        who,
        refused,
        got: `${list.status} ${text.slice(0, 100)}`,
      });
    }
    expect(cells.filter((c) => c.surface === 'rest' && !c.refused)).toEqual([]);
  });

  it('refuses the socket handshake without a valid login, and bob cannot subscribe to alice', async () => {
    for (const [who, cookie] of Object.entries(intruders)) {
      const socket = io(api.baseUrl, {
        path: '/api/socket.io',
        transports: ['websocket'],
        reconnection: false,
        extraHeaders: cookie ? { cookie } : {},
      });
      const outcome = await new Promise<string>((resolve) => {
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', (error) => resolve(`refused: ${error.message}`));
      });
      if (who.startsWith('bob')) {
        // bob is a user: his socket opens, and he tries every way a client could ask for alice's session.
        for (const event of ['subscribe', 'join', 'session.subscribe', 'session.updated', 'sessions.watch']) {
          socket.emit(event, target.id);
          socket.emit(event, { id: target.id, room: 'user:alice' });
        }
        socket.emit('join', 'user:alice');
        socket.emit('join', 'admins');
        cells.push({
          surface: 'socket',
          what: 'handshake, then subscribe/join events for the session',
          who,
          refused: outcome === 'connected',
          got: outcome,
        });
        bob.updates.length = 0;
        // bob's own SessionClient socket keeps listening: checked at the end.
      } else {
        cells.push({
          surface: 'socket',
          what: 'handshake',
          who,
          refused: outcome.startsWith('refused'),
          got: outcome,
        });
      }
      socket.disconnect();
    }
    expect(cells.filter((c) => c.surface === 'socket' && !c.refused)).toEqual([]);
  });

  it('refuses the VNC proxy for every token but a fresh one of alice, presented by alice, on its own session', async () => {
    const issue = async (): Promise<string> => {
      const response = await alice.request('POST', `/api/sessions/${target.id}/connect`);
      expect(response.status).toBe(200);
      return new URL((await response.json()).path, api.baseUrl).searchParams.get('token') as string;
    };
    const vncPath = (id: string, token: string | null) =>
      `/api/sessions/${id}/vnc${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
    const attempt = async (what: string, who: string, path: string, cookie: string | undefined) => {
      const outcome: UpgradeOutcome = await tryUpgrade(wsUrl(api.baseUrl, path), cookie ? { cookie } : {});
      cells.push({
        surface: 'vnc',
        what,
        who,
        refused: !outcome.opened,
        got: outcome.opened ? 'OPENED' : `${outcome.status ?? outcome.error}`,
      });
    };

    // Expired tokens: issued now, used after their TTL.
    const everyone: Record<string, string | undefined> = { 'alice (the owner)': alice.cookie, ...intruders };
    const expired = new Map<string, string>();
    for (const who of Object.keys(everyone)) expired.set(who, await issue());
    await new Promise((resolve) => setTimeout(resolve, TOKEN_TTL_SECONDS * 1000 + 500));

    // A replayed token: alice uses it once, for real, then it is presented again.
    const used = await issue();
    const first = await tryUpgrade(wsUrl(api.baseUrl, vncPath(target.id, used)), { cookie: alice.cookie });
    expect(first.opened).toBe(true);

    for (const [who, cookie] of Object.entries(everyone)) {
      const isAlice = who.startsWith('alice (the owner)');
      if (!isAlice) await attempt("a fresh token of alice's", who, vncPath(target.id, await issue()), cookie);
      await attempt('no token', who, vncPath(target.id, null), cookie);
      await attempt('an empty token', who, vncPath(target.id, ''), cookie);
      await attempt('a forged token', who, vncPath(target.id, randomBytes(32).toString('base64url')), cookie);
      await attempt('an expired token', who, vncPath(target.id, expired.get(who) as string), cookie);
      await attempt('a replayed (used) token', who, vncPath(target.id, used), cookie);
      await attempt(
        "a fresh token, on another session's path",
        who,
        vncPath(randomUUID(), await issue()),
        cookie,
      );
      await attempt(
        'a fresh token, on the session id in capitals',
        who,
        vncPath(target.id.toUpperCase(), await issue()),
        cookie,
      );
      await attempt(
        'a fresh token, on the path with a trailing slash',
        who,
        `/api/sessions/${target.id}/vnc/?token=${await issue()}`,
        cookie,
      );
    }
    expect(cells.filter((c) => c.surface === 'vnc' && !c.refused)).toEqual([]);
  }, 120_000);

  it('refused 100% of the matrix, and changed nothing: alice still runs the same desktop, bob saw none of it', async () => {
    const bySurface = countBy(cells.map((c) => c.surface));
    const refused = cells.filter((c) => c.refused).length;
    console.log(
      `cross-user matrix: ${refused}/${cells.length} refused (${JSON.stringify(bySurface)}); ${Object.keys(intruders).length} intruders; statuses ${JSON.stringify(countBy(cells.map((c) => c.got.split(' ')[0])))}`,
    );
    expect(cells.length).toBe(
      Object.keys(intruders).length * (SESSION_ROUTES.length + 1 + 1) +
        (Object.keys(intruders).length + 1) * 8 +
        Object.keys(intruders).length,
    );
    expect(refused).toBe(cells.length);

    const now = (await (await alice.request('GET', `/api/sessions/${target.id}`)).json()) as SessionDto;
    expect(now).toMatchObject({ state: 'running', jobId: expect.any(String) });
    const running = await alice.waitFor(target.id, (s) => s.state === 'running');
    expect(now.jobId).toBe(running.jobId);
    expect(
      execFileSync('squeue', ['-h', '-j', now.jobId as string, '-o', '%T'])
        .toString()
        .trim(),
    ).toBe('RUNNING');
    // No relaunch or launch slipped through: alice's one session is the only one in the database.
    expect((await api.app.get(SessionRepository).findById(target.id))?.state).toBe('running');
    expect(await api.app.get(DataSource).query('SELECT COUNT(*) AS count FROM sessions')).toEqual([
      { count: 1 },
    ]);
    const grant = await (await alice.request('POST', `/api/sessions/${target.id}/connect`)).json();
    const transport = await webSocketTransport(wsUrl(api.baseUrl, grant.path), { cookie: alice.cookie });
    try {
      expect((await rfbHandshake(transport, grant.password)).width).toBeGreaterThan(0);
    } finally {
      transport.close();
    }

    // An update bob would see if anything leaked: alice stops her session.
    expect((await alice.request('POST', `/api/sessions/${target.id}/stop`)).status).toBe(200);
    await alice.waitFor(target.id, (s) => s.state === 'cancelled');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bob.updates.filter((u) => u.id === target.id)).toEqual([]);
  });
});
