// AUTH_MODE=header on the whole API: the user-name header is believed only from the proxy's
// address (AUTH_TRUSTED_PROXIES=127.0.0.2 here). The same header sent from 127.0.0.1, a client
// that bypasses the proxy, is refused on REST, the socket and the VNC proxy, whatever
// forwarding headers it adds. Linux routes all of 127/8 to loopback, so the test can be both.
import { io } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { type ApiTestApp, startApiTestApp, wsUrl } from '../support/api-test-app';
import { countBy, problemWithErrorBody, rawRequest, tryUpgrade } from './abuse-helpers';

const PROXY = '127.0.0.2';
const BYPASS = '127.0.0.1';

describe('header spoofing in AUTH_MODE=header', () => {
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp({
      AUTH_MODE: 'header',
      AUTH_HEADER: 'X-Remote-User',
      AUTH_TRUSTED_PROXIES: PROXY,
      AUTH_ADMIN_USERS: 'admin',
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('believes the header from the trusted proxy (the control)', async () => {
    const me = await rawRequest(api.baseUrl, {
      method: 'GET',
      path: '/api/auth/me',
      headers: { 'x-remote-user': 'alice' },
      localAddress: PROXY,
    });
    expect([me.status, JSON.parse(me.text)]).toEqual([
      200,
      { username: 'alice', isAdmin: false, groups: [], authMode: 'header' },
    ]);
    const admin = await rawRequest(api.baseUrl, {
      method: 'GET',
      path: '/api/auth/me',
      headers: { 'x-remote-user': 'admin' },
      localAddress: PROXY,
    });
    expect([admin.status, JSON.parse(admin.text)]).toEqual([
      200,
      { username: 'admin', isAdmin: true, groups: [], authMode: 'header' },
    ]);
  });

  it('refuses the header from any other address on every endpoint, whatever forwarding headers come with it', async () => {
    const spoofs: Record<string, Record<string, string>> = {
      'the user header': { 'x-remote-user': 'alice' },
      'an administrator in the user header': { 'x-remote-user': 'admin' },
      '+ X-Forwarded-For of the proxy': { 'x-remote-user': 'admin', 'x-forwarded-for': PROXY },
      '+ Forwarded: for= the proxy': { 'x-remote-user': 'admin', forwarded: `for=${PROXY}` },
      '+ X-Real-IP of the proxy': { 'x-remote-user': 'admin', 'x-real-ip': PROXY },
      '+ X-Forwarded-For chain ending at the proxy': {
        'x-remote-user': 'admin',
        'x-forwarded-for': `10.0.0.1, ${PROXY}`,
      },
      'the header in capitals': { 'X-REMOTE-USER': 'admin' },
    };
    const endpoints: Array<[string, string, string | undefined]> = [
      ['GET', '/api/auth/me', undefined],
      ['GET', '/api/sessions', undefined],
      ['POST', '/api/sessions', JSON.stringify({ appId: 'xterm', values: {} })],
      ['GET', '/api/users', undefined],
      ['POST', '/api/users', JSON.stringify({ username: 'mallory', password: 'mallory-password' })],
      ['GET', '/api/apps', undefined],
      ['GET', '/api/cluster', undefined],
      ['POST', `/api/sessions/0b6f3f0e-3c1c-4c55-9a39-0f2d3cf1b9a1/connect`, undefined],
    ];
    const statuses: number[] = [];
    for (const [how, headers] of Object.entries(spoofs)) {
      for (const [method, path, body] of endpoints) {
        const response = await rawRequest(api.baseUrl, {
          method,
          path,
          headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
          body,
          localAddress: BYPASS,
        });
        statuses.push(response.status);
        expect({
          how,
          method,
          path,
          status: response.status,
          problem: problemWithErrorBody(response.text),
        }).toEqual({ how, method, path, status: 401, problem: null });
      }
    }
    console.log(
      `header spoofing: ${statuses.length} spoofed REST requests, statuses ${JSON.stringify(countBy(statuses))}`,
    );
    expect(await api.app.get(DataSource).query('SELECT COUNT(*) AS count FROM sessions')).toEqual([
      { count: 0 },
    ]);
    expect(
      await api.app.get(DataSource).query("SELECT COUNT(*) AS count FROM users WHERE username = 'mallory'"),
    ).toEqual([{ count: 0 }]);
  });

  it('refuses user names the proxy itself should never send', async () => {
    for (const name of ['../root', 'root; id', 'alice bob', '-alice', 'ALICE', 'a'.repeat(200)]) {
      const response = await rawRequest(api.baseUrl, {
        method: 'GET',
        path: '/api/auth/me',
        headers: { 'x-remote-user': name },
        localAddress: PROXY,
      });
      expect([name, response.status]).toEqual([name, 401]);
    }
  });

  it('refuses the spoofed header on the socket and the VNC proxy', async () => {
    const socket = io(api.baseUrl, {
      path: '/api/socket.io',
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { 'x-remote-user': 'admin', 'x-forwarded-for': PROXY },
    });
    const outcome = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (error) => resolve(`refused: ${error.message}`));
    });
    socket.disconnect();
    expect(outcome).toBe('refused: Log in first');

    const vnc = wsUrl(api.baseUrl, '/api/sessions/0b6f3f0e-3c1c-4c55-9a39-0f2d3cf1b9a1/vnc?token=forged');
    // From the proxy the user is believed and only the token is wrong (403); from elsewhere there is no user (401).
    expect(await tryUpgrade(vnc, { 'x-remote-user': 'alice' }, PROXY)).toEqual({
      opened: false,
      status: 403,
    });
    expect(await tryUpgrade(vnc, { 'x-remote-user': 'alice', 'x-forwarded-for': PROXY }, BYPASS)).toEqual({
      opened: false,
      status: 401,
    });
  });
});
