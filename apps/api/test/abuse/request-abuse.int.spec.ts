// Hostile requests against the real API (local login mode) on the local cluster: oversized and
// compressed bodies, path traversal in app ids and session ids, cross-site request forgery
// against the cookie-authenticated endpoints, and cross-site WebSocket hijacking of the Socket.IO
// channel and the VNC proxy. Each is refused with a 4xx that says why, the
// refusals leave no error (or stack trace) in the log, nothing outside the staging folder is read,
// and alice's session, login and the accounts are exactly as before.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SessionDto } from '@vizportal/session-domain';
import { io } from 'socket.io-client';
import { DataSource } from 'typeorm';
import {
  type ApiTestApp,
  createUsers,
  login,
  startApiTestApp,
  TEST_ADMIN,
  wsUrl,
} from '../support/api-test-app';
import { SessionClient } from '../support/session-client';
import { waitUntil } from '../faults/fault-helpers';
import { countBy, problemWithErrorBody, rawRequest, SESSION_ROUTES, tryUpgrade } from './abuse-helpers';

const OUTSIDE_MARKER = `outside-the-staging-folder-${randomUUID()}`;

interface LogLine {
  level: number;
  msg?: string;
  err?: { stack?: string };
}

describe('hostile requests', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'vizportal-abuse-logs-'));
  const logFile = join(logDir, 'api.log');
  let api: ApiTestApp;
  let alice: SessionClient;
  let admin: string;
  let session: SessionDto;
  const statuses: number[] = [];

  /** The answer must be one of the allowed 4xx statuses, with a sentence. */
  async function expectRefused(
    what: string,
    response: { status: number; text: string },
    allowed: number[],
  ): Promise<void> {
    statuses.push(response.status);
    const expected = allowed.includes(response.status) ? response.status : `one of ${allowed.join(', ')}`;
    expect({ what, status: response.status, problem: problemWithErrorBody(response.text) }).toEqual({
      what,
      status: expected,
      problem: null,
    });
  }

  beforeAll(async () => {
    api = await startApiTestApp({}, undefined, { jsonLogFile: logFile });
    alice = new SessionClient(api.baseUrl, (await createUsers(api.baseUrl, ['alice'])).alice);
    admin = await login(api.baseUrl, TEST_ADMIN.username, TEST_ADMIN.password);
    session = await alice.launch('xterm');
    // What a traversal out of the staging folder would find: <dir>/output.log is <staging>/../output.log.
    writeFileSync(join(api.dir, 'output.log'), OUTSIDE_MARKER);
    writeFileSync(join(api.dir, 'sessions', 'output.log'), OUTSIDE_MARKER);
  }, 60_000);

  afterAll(async () => {
    await alice?.request('POST', `/api/sessions/${session?.id}/stop`);
    await api?.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('answers oversized, compressed-bomb and badly encoded bodies with 413/415 and a sentence, logging no error', async () => {
    const big = JSON.stringify({ appId: 'xterm', values: { title: 'x'.repeat(200_000) } });
    const json = { 'content-type': 'application/json' };
    const cases: Array<[string, string, Record<string, string>, string | Buffer, number]> = [
      ['launch, 200 kB', '/api/sessions', { ...json, cookie: alice.cookie }, big, 413],
      [
        'launch, 5 MB',
        '/api/sessions',
        { ...json, cookie: alice.cookie },
        JSON.stringify({ appId: 'x'.repeat(5_000_000) }),
        413,
      ],
      [
        'launch, 10 MB of gzip in 10 kB',
        '/api/sessions',
        { ...json, cookie: alice.cookie, 'content-encoding': 'gzip' },
        gzipSync(Buffer.from(`{"appId":"${' '.repeat(10_000_000)}"}`)),
        413,
      ],
      [
        'launch, an unknown content encoding',
        '/api/sessions',
        { ...json, cookie: alice.cookie, 'content-encoding': 'compress' },
        '{}',
        415,
      ],
      [
        'launch, an unknown charset',
        '/api/sessions',
        { 'content-type': 'application/json; charset=latin1', cookie: alice.cookie },
        '{}',
        415,
      ],
      [
        'login, 200 kB',
        '/api/auth/login',
        json,
        JSON.stringify({ username: 'alice', password: 'p'.repeat(200_000) }),
        413,
      ],
      [
        'new account, 200 kB',
        '/api/users',
        { ...json, cookie: admin },
        JSON.stringify({ username: 'mallory', password: 'p'.repeat(200_000) }),
        413,
      ],
      [
        'readiness, 200 kB',
        `/api/internal/sessions/${session.id}/ready`,
        { ...json, authorization: 'Bearer x' },
        big,
        413,
      ],
      [
        'a form post, 200 kB',
        '/api/sessions',
        { 'content-type': 'application/x-www-form-urlencoded', cookie: alice.cookie },
        `a=${'b'.repeat(200_000)}`,
        413,
      ],
      [
        'launch, nested 10,000 deep',
        '/api/sessions',
        { ...json, cookie: alice.cookie },
        `{"appId":"xterm","values":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
        400,
      ],
    ];
    for (const [what, path, headers, body, status] of cases) {
      await expectRefused(what, await rawRequest(api.baseUrl, { method: 'POST', path, headers, body }), [
        status,
      ]);
    }
    const lines = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine);
    expect(lines.filter((line) => line.level >= 50 || line.err?.stack).map((line) => line.msg)).toEqual([]);
    expect(readFileSync(logFile, 'utf8')).not.toMatch(/PayloadTooLargeError|at readStream|raw-body/);
    expect(
      (await api.app.get(DataSource).query('SELECT username FROM users ORDER BY username')).map(
        (u: { username: string }) => u.username,
      ),
    ).toEqual(['admin', 'alice']);
  });

  it('refuses path traversal in app ids with 400, and reads nothing outside the catalog', async () => {
    const appIds = [
      '../etc/passwd',
      '..%2f..%2fetc%2fpasswd',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '../../catalog/desktop',
      'desktop/../xterm',
      'desktop\u0000',
      '\u0000',
      '....//....//etc/passwd',
      '/etc/passwd',
      'desktop%00.yaml',
      '..\\..\\etc\\passwd',
      '..',
    ];
    for (const appId of appIds) {
      const response = await rawRequest(api.baseUrl, {
        method: 'POST',
        path: '/api/sessions',
        headers: { 'content-type': 'application/json', cookie: alice.cookie },
        body: JSON.stringify({ appId, values: {} }),
      });
      await expectRefused(`appId ${JSON.stringify(appId)}`, response, [400]);
      expect(response.text).not.toMatch(/root:x?:0:0/);
    }
  });

  it('refuses path traversal in session ids on every route and the proxy, and never serves a file from outside', async () => {
    const ids = [
      '..',
      '%2e%2e',
      '%2E%2E',
      '..%2f..%2f..%2fetc%2fpasswd',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '..%252f..%252fetc%252fpasswd',
      '%00',
      `${session.id}%00`,
      `${session.id}%00.log`,
      '..%5c..%5cetc',
      `${session.id}%2f..%2f..`,
      '....%2f%2f',
      '%c0%ae%c0%ae',
    ];
    for (const id of ids) {
      for (const [method, path] of SESSION_ROUTES) {
        const response = await rawRequest(api.baseUrl, {
          method,
          path: path(id),
          headers: { cookie: alice.cookie },
        });
        await expectRefused(`${method} ${path(id)}`, response, [400, 404]);
        expect(response.text).not.toContain(OUTSIDE_MARKER);
      }
      const upgrade = await tryUpgrade(wsUrl(api.baseUrl, `/api/sessions/${id}/vnc?token=x`), {
        cookie: alice.cookie,
      });
      expect([id, upgrade.opened]).toEqual([id, false]);
    }
    // Unnormalised dot segments, as a raw client may send them.
    for (const path of [
      `/api/sessions/${session.id}/../../../etc/passwd`,
      '/api/sessions/../../../../etc/passwd',
      `/api/sessions/${session.id}/log/../../..${api.dir}/output.log`,
      '/../../../etc/passwd',
    ]) {
      const response = await rawRequest(api.baseUrl, {
        method: 'GET',
        path,
        headers: { cookie: alice.cookie },
      });
      await expectRefused(`GET ${path}`, response, [400, 404]);
      expect(response.text).not.toContain(OUTSIDE_MARKER);
      expect(response.text).not.toMatch(/root:x?:0:0/);
    }
    expect(
      ((await (await alice.request('GET', `/api/sessions/${session.id}/log`)).json()) as { text: string })
        .text,
    ).not.toContain(OUTSIDE_MARKER);
  });

  it("refuses Socket.IO and VNC handshakes that a page of another site opens with alice's cookie", async () => {
    // Cross-site WebSocket hijacking: WebSockets are outside the same-origin policy, so without an
    // Origin check such a page would read alice's session events, or drive her desktop.
    const forgeries: Array<[string, Record<string, string>]> = [
      ['Origin of another site', { origin: 'http://evil.example' }],
      ['Origin: null', { origin: 'null' }],
      ['Origin of a look-alike host', { origin: `${api.baseUrl}.evil.example` }],
      ['Origin of the same host on another port', { origin: 'http://127.0.0.1:1' }],
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site', { origin: api.baseUrl, 'sec-fetch-site': 'same-site' }],
    ];
    const socketWith = async (transport: 'websocket' | 'polling', headers: Record<string, string>) => {
      const socket = io(api.baseUrl, {
        path: '/api/socket.io',
        transports: [transport],
        reconnection: false,
        extraHeaders: { cookie: alice.cookie, ...headers },
      });
      try {
        return await new Promise<string>((resolve) => {
          // scheduler.status is the first thing a socket is sent: it proves the socket was let in.
          socket.once('scheduler.status', () => resolve('connected'));
          socket.once('connect_error', (error) => resolve(`refused: ${error.message}`));
        });
      } finally {
        socket.disconnect();
      }
    };
    const opened: string[] = [];
    for (const transport of ['websocket', 'polling'] as const) {
      for (const [how, headers] of forgeries) {
        const outcome = await socketWith(transport, headers);
        if (!outcome.startsWith('refused')) opened.push(`socket over ${transport}, ${how}: ${outcome}`);
      }
      // The controls: the portal's own page, and a client that sends no Origin (node, curl, the bench).
      expect(await socketWith(transport, { origin: api.baseUrl, 'sec-fetch-site': 'same-origin' })).toBe(
        'connected',
      );
      expect(await socketWith(transport, {})).toBe('connected');
    }

    // The VNC proxy: refused with 403 before the token is looked at, so the one token survives them all.
    await waitUntil(
      `alice's session ${session.id} to run`,
      async () =>
        ((await (await alice.request('GET', `/api/sessions/${session.id}`)).json()) as SessionDto).state ===
        'running',
      90_000,
      500,
    );
    const connect = await alice.request('POST', `/api/sessions/${session.id}/connect`);
    expect(connect.status).toBe(200);
    const vncUrl = wsUrl(api.baseUrl, ((await connect.json()) as { path: string }).path);
    for (const [how, headers] of forgeries) {
      const outcome = await tryUpgrade(vncUrl, { cookie: alice.cookie, ...headers });
      if (outcome.status !== 403) opened.push(`VNC, ${how}: ${JSON.stringify(outcome)}`);
    }
    expect(opened).toEqual([]);
    expect(await tryUpgrade(vncUrl, { cookie: alice.cookie, origin: api.baseUrl })).toEqual({ opened: true });
  }, 120_000);

  it('counts login attempts per client: X-Forwarded-For is believed from the trusted proxy only', async () => {
    // 127.0.0.1 plays nginx (the default AUTH_TRUSTED_PROXIES); 127.0.0.2 a client reaching the API directly.
    const LIMIT = 10; // LOGIN_RATE_LIMIT_PER_MINUTE's default
    const attempt = (localAddress: string, forwardedFor: string) =>
      rawRequest(api.baseUrl, {
        method: 'POST',
        path: '/api/auth/login',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
        body: JSON.stringify({ username: 'alice', password: 'not-her-password' }),
        localAddress,
      });
    // A client that makes up a new X-Forwarded-For for every attempt still has one budget.
    const direct: number[] = [];
    for (let i = 0; i <= LIMIT; i++) direct.push((await attempt('127.0.0.2', `198.51.100.${i + 1}`)).status);
    expect(direct).toEqual([...Array<number>(LIMIT).fill(401), 429]);
    // Behind the proxy, each client has its own: one using up theirs leaves the next one theirs,
    // and what a client writes left of the address the proxy appends changes nothing.
    const proxied: number[] = [];
    for (let i = 0; i <= LIMIT; i++)
      proxied.push((await attempt('127.0.0.1', `192.0.2.${i + 1}, 203.0.113.5`)).status);
    expect(proxied).toEqual([...Array<number>(LIMIT).fill(401), 429]);
    expect((await attempt('127.0.0.1', '203.0.113.6')).status).toBe(401);
  });

  it('refuses cross-site and form requests on every cookie endpoint, and changes nothing', async () => {
    const before = (await (await alice.request('GET', `/api/sessions/${session.id}`)).json()) as SessionDto;
    const sessionsBefore = await api.app.get(DataSource).query('SELECT COUNT(*) AS count FROM sessions');
    const evil = 'http://evil.example';
    const forgeries: Array<[string, Record<string, string>, number]> = [
      ['Origin of another site', { origin: evil, 'content-type': 'application/json' }, 403],
      ['Origin: null', { origin: 'null', 'content-type': 'application/json' }, 403],
      [
        'Origin of a look-alike host',
        { origin: `${api.baseUrl}.evil.example`, 'content-type': 'application/json' },
        403,
      ],
      [
        'Origin of the same host on another port',
        { origin: 'http://127.0.0.1:1', 'content-type': 'application/json' },
        403,
      ],
      [
        'no Origin, Sec-Fetch-Site: cross-site',
        { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
        403,
      ],
      [
        'no Origin, Sec-Fetch-Site: same-site',
        { 'sec-fetch-site': 'same-site', 'content-type': 'application/json' },
        403,
      ],
      ['a text/plain form', { 'content-type': 'text/plain' }, 415],
      ['an urlencoded form', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
      ['a multipart form', { 'content-type': 'multipart/form-data; boundary=x' }, 415],
      ['a text/plain form from another site', { origin: evil, 'content-type': 'text/plain' }, 403],
    ];
    const launchBody = JSON.stringify({ appId: 'xterm', values: {} });
    const targets: Array<[string, string, string, string | undefined, string | undefined]> = [
      ['POST', '/api/sessions', alice.cookie, launchBody, 'launch'],
      ['POST', `/api/sessions/${session.id}/stop`, alice.cookie, undefined, 'stop'],
      ['POST', `/api/sessions/${session.id}/relaunch`, alice.cookie, undefined, 'relaunch'],
      ['POST', `/api/sessions/${session.id}/connect`, alice.cookie, undefined, 'connect'],
      ['DELETE', `/api/sessions/${session.id}`, alice.cookie, undefined, 'delete'],
      ['POST', '/api/auth/logout', alice.cookie, undefined, 'logout'],
      [
        'POST',
        '/api/auth/login',
        '',
        JSON.stringify({ username: 'alice', password: 'alice-password-for-tests' }),
        'login',
      ],
      [
        'POST',
        '/api/users',
        admin,
        JSON.stringify({ username: 'mallory', password: 'mallory-password' }),
        'new account',
      ],
    ];
    let cells = 0;
    for (const [method, path, cookie, body, what] of targets) {
      for (const [how, headers, status] of forgeries) {
        const form = headers['content-type'] && !headers['content-type'].startsWith('application/json');
        const sent = form ? `payload=${encodeURIComponent(body ?? '')}` : body;
        const response = await rawRequest(api.baseUrl, {
          method,
          path,
          headers: { ...headers, ...(cookie ? { cookie } : {}) },
          body: sent,
        });
        await expectRefused(`${what}: ${how}`, response, [status]);
        expect(response.headers['set-cookie']).toBeUndefined();
        cells++;
      }
    }
    console.log(
      `CSRF: ${cells} forged requests refused; hostile-request statuses ${JSON.stringify(countBy(statuses))}`,
    );

    // Nothing changed: same session, same job, no new session or account, alice still logged in.
    const after = (await (await alice.request('GET', `/api/sessions/${session.id}`)).json()) as SessionDto;
    expect(after.state).not.toMatch(/cancelled|completed|failed|timed_out/);
    expect(after.jobId).toBe(before.jobId);
    expect(await api.app.get(DataSource).query('SELECT COUNT(*) AS count FROM sessions')).toEqual(
      sessionsBefore,
    );
    expect(
      (await api.app.get(DataSource).query('SELECT username FROM users ORDER BY username')).map(
        (u: { username: string }) => u.username,
      ),
    ).toEqual(['admin', 'alice']);
    expect((await alice.request('GET', '/api/auth/me')).status).toBe(200);
    // The same request from the portal's own page is accepted: the refusals above are about the forgery.
    const sameOrigin = await rawRequest(api.baseUrl, {
      method: 'POST',
      path: `/api/sessions/${session.id}/stop`,
      headers: { origin: api.baseUrl, 'sec-fetch-site': 'same-origin', cookie: alice.cookie },
    });
    expect(sameOrigin.status).toBe(200);
  });
});
