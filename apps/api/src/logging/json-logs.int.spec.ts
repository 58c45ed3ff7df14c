// The API's JSON log over a full session on the local cluster (login, launch, running, connect,
// the VNC proxy, stop): every line is pino JSON, and none holds the login password, the session
// cookie, the connect token, the VNC password or the job's readiness secret.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiTestApp, createUsers, startApiTestApp, wsUrl } from '../../test/support/api-test-app';
import { rfbHandshake, webSocketTransport } from '@vizportal/portal-harness';
import { SessionClient } from '../../test/support/session-client';
import { findLogProblems } from './log-leaks';

const READY_PATH = /^\/api\/internal\/sessions\/[^/]+\/ready$/;

interface LogEntry {
  level: number;
  msg: string;
  context?: string;
  req?: { id?: string; url?: string; headers?: Record<string, unknown> };
  res?: { statusCode?: number };
}

describe('JSON logs of a full session on the local cluster', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'vizportal-logs-'));
  const logFile = join(logDir, 'api.log');
  let api: ApiTestApp;
  const secrets: Record<string, string> = {};
  let sessionId = '';
  let echoedRequestId: string | null = null;

  beforeAll(async () => {
    api = await startApiTestApp({ LOG_LEVEL: 'trace' }, undefined, { jsonLogFile: logFile });
    // The readiness secret exists only in the job's environment and as a hash in the database:
    // catch it as the job presents it.
    api.app.getHttpServer().prependListener('request', (request: IncomingMessage) => {
      const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (bearer && READY_PATH.test(request.url ?? '')) secrets['readiness secret'] = bearer;
    });

    const cookies = await createUsers(api.baseUrl, ['alice']);
    secrets['login password'] = 'alice-password-for-tests';
    secrets['cookie value'] = cookies.alice.split('=')[1];
    const alice = new SessionClient(api.baseUrl, cookies.alice);
    await alice.connectSocket();
    try {
      const desktop = await alice.launch('desktop', { cpus: 1 });
      sessionId = desktop.id;
      await alice.waitFor(desktop.id, (s) => s.state === 'running');

      const connect = await fetch(`${api.baseUrl}/api/sessions/${desktop.id}/connect`, {
        method: 'POST',
        headers: { cookie: alice.cookie, 'x-request-id': 'leak-test-connect' },
      });
      echoedRequestId = connect.headers.get('x-request-id');
      const grant = (await connect.json()) as { path: string; password: string };
      secrets['connect token'] = new URL(grant.path, api.baseUrl).searchParams.get('token') ?? '';
      secrets['VNC password'] = grant.password;
      // The proxy's URL as a plain HTTP request too, so the token's query string reaches the request log.
      await fetch(`${api.baseUrl}${grant.path}`, { headers: { cookie: alice.cookie } });
      const transport = await webSocketTransport(wsUrl(api.baseUrl, grant.path), { cookie: alice.cookie });
      try {
        await rfbHandshake(transport, grant.password);
      } finally {
        transport.close();
      }
      // A refused reuse of the token is logged too.
      await webSocketTransport(wsUrl(api.baseUrl, grant.path), { cookie: alice.cookie }).catch(
        () => undefined,
      );
      // A failed login with the admin's password given to the wrong user.
      await fetch(`${api.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'alice', password: 'admin-password-for-tests' }),
      });
      secrets['admin password'] = 'admin-password-for-tests';
      expect((await alice.request('POST', `/api/sessions/${desktop.id}/stop`)).status).toBe(200);
    } finally {
      alice.close();
      await api.close();
    }
  });

  afterAll(() => rmSync(logDir, { recursive: true, force: true }));

  const entries = (): LogEntry[] =>
    readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as LogEntry);

  it('caught every secret of the session to look for', () => {
    expect(Object.keys(secrets).sort()).toEqual(
      [
        'VNC password',
        'admin password',
        'connect token',
        'cookie value',
        'login password',
        'readiness secret',
      ].sort(),
    );
    for (const value of Object.values(secrets)) expect(value.length).toBeGreaterThanOrEqual(8);
  });

  it('logged the session: requests with ids, the readiness report, the proxy connection and the stop', () => {
    const logged = entries();
    const urls = logged.map((entry) => entry.req?.url);
    expect(urls).toContain('/api/auth/login');
    expect(urls).toContain('/api/sessions');
    expect(urls).toContain(`/api/internal/sessions/${sessionId}/ready`);
    expect(urls).toContain(`/api/sessions/${sessionId}/vnc`);
    expect(urls).toContain(`/api/sessions/${sessionId}/stop`);
    expect(
      logged.some(
        (entry) =>
          entry.context === 'VncProxy' && entry.msg.includes(`alice connected to session ${sessionId}`),
      ),
    ).toBe(true);
    expect(logged.some((entry) => entry.context === 'VncProxy' && /refused/.test(entry.msg))).toBe(true);
    // The client's request id is kept, echoed, and on the request's line; others get a UUID.
    expect(echoedRequestId).toBe('leak-test-connect');
    expect(logged.find((entry) => entry.req?.url === `/api/sessions/${sessionId}/connect`)?.req?.id).toBe(
      'leak-test-connect',
    );
    expect(logged.find((entry) => entry.req?.url === '/api/sessions')?.req?.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('has only pino JSON lines, and none holds a password, the cookie, a token or a secret', () => {
    const log = readFileSync(logFile, 'utf8');
    expect(findLogProblems(log, secrets)).toEqual([]);
  });

  it('would catch a leak: the same check finds a secret planted in the log', () => {
    const planted = `${readFileSync(logFile, 'utf8')}${JSON.stringify({ level: 30, time: Date.now(), msg: `ready ${secrets['readiness secret']}` })}\n`;
    expect(findLogProblems(planted, secrets)).toEqual([
      { line: planted.split('\n').length - 1, problem: 'contains the readiness secret' },
    ]);
  });
});
