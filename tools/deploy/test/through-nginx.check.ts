// Run by tools/deploy/test-nginx.sh (with ts-node): everything a browser does, sent through the
// nginx site in front of a running API. REST with the login cookie and the cross-site check, Socket.IO
// over WebSocket and over long-polling, and a VNC session: launch xterm, wait for running, connect,
// and finish the RFB handshake over wss with the desktop's one-time password; then stop and delete.
// Env: PORTAL_URL (https://127.0.0.1:PORT), ADMIN_USERNAME, ADMIN_PASSWORD, TOKEN_FILE (where the
// VNC token is written for the access-log check). TLS is verified against NODE_EXTRA_CA_CERTS.
import { writeFileSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { rfbHandshake, webSocketTransport } from '../../../libs/portal-harness/src';

const portal = required('PORTAL_URL');
let cookie = '';
let checks = 0;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function pass(what: string): void {
  checks++;
  console.log(`test-nginx: ok - ${what}`);
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

function api(method: string, path: string, body?: unknown, origin = portal): Promise<Response> {
  return fetch(`${portal}${path}`, {
    method,
    headers: {
      cookie,
      origin,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
  });
}

interface SessionView {
  id: string;
  state: string;
  message?: string | null;
}

async function rest(): Promise<void> {
  const credentials = { username: required('ADMIN_USERNAME'), password: required('ADMIN_PASSWORD') };
  const foreign = await api('POST', '/api/auth/login', credentials, 'https://evil.example');
  expect(foreign.status === 403, `a login with a foreign Origin answered ${foreign.status}, not 403`);
  const login = await api('POST', '/api/auth/login', credentials);
  if (login.status !== 200)
    throw new Error(`login with the portal's own Origin answered ${login.status}: ${await login.text()}`);
  const setCookie = login.headers.get('set-cookie') ?? '';
  expect(/;\s*Secure/i.test(setCookie), `the login cookie is not Secure: ${setCookie}`);
  cookie = setCookie.split(';')[0];
  pass(
    "REST: login through nginx with the browser's Origin (Host passed on), a foreign Origin refused 403, Secure cookie",
  );

  const me = await api('GET', '/api/auth/me');
  expect(
    me.status === 200 && ((await me.json()) as { username: string }).username === credentials.username,
    'GET /api/auth/me',
  );
  const sessions = await api('GET', '/api/sessions');
  expect(
    sessions.status === 200 && Array.isArray(((await sessions.json()) as { sessions?: unknown }).sessions),
    `GET /api/sessions answered ${sessions.status}`,
  );
  pass('REST: GET /api/auth/me and GET /api/sessions with the cookie');
}

async function socketOver(transports: ('websocket' | 'polling')[]): Promise<Socket> {
  const socket = io(portal, {
    path: '/api/socket.io',
    transports,
    upgrade: false,
    extraHeaders: { cookie },
    reconnection: false,
  });
  const status = await new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Socket.IO over ${transports.join('+')}: no scheduler.status within 15 s`)),
      15_000,
    );
    socket.once('scheduler.status', (payload: unknown) => {
      clearTimeout(timer);
      resolve(payload);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Socket.IO over ${transports.join('+')}: ${error.message}`));
    });
  });
  expect(typeof status === 'object' && status !== null, 'scheduler.status carried no object');
  pass(`Socket.IO over ${transports[0]}: connected on /api/socket.io and received scheduler.status`);
  return socket;
}

async function vncSession(socket: Socket): Promise<void> {
  const updates: SessionView[] = [];
  socket.on('session.updated', (session: SessionView) => updates.push(session));

  const launched = await api('POST', '/api/sessions', {
    appId: 'xterm',
    values: { hours: 0.5, title: 'through nginx' },
  });
  if (launched.status !== 201)
    throw new Error(`launching xterm answered ${launched.status}: ${await launched.text()}`);
  const { id } = (await launched.json()) as SessionView;
  try {
    const until = Date.now() + 120_000;
    let state = '';
    while (Date.now() < until) {
      const current = updates.filter((u) => u.id === id).at(-1);
      state = current?.state ?? state;
      if (state === 'running' || ['failed', 'completed', 'cancelled', 'timed_out'].includes(state)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(
      state === 'running',
      `session ${id} is ${state || 'silent'} instead of running: ${updates.at(-1)?.message ?? ''}`,
    );
    pass(`VNC: xterm session ${id} launched through nginx, reached running (seen on the socket)`);

    const connect = await api('POST', `/api/sessions/${id}/connect`);
    expect(connect.status === 200, `connect answered ${connect.status}`);
    const { path, token, password } = (await connect.json()) as {
      path: string;
      token: string;
      password: string;
    };
    writeFileSync(required('TOKEN_FILE'), token, { mode: 0o600 });
    const wsUrl = `${portal.replace(/^http/, 'ws')}${path}`;
    const transport = await webSocketTransport(wsUrl, { cookie, origin: portal });
    try {
      const init = await rfbHandshake(transport, password);
      expect(
        init.width === 1024 && init.height === 768,
        `ServerInit says ${init.width}x${init.height}, not 1024x768`,
      );
      pass(
        `VNC: wss through nginx, RFB handshake with the one-time password, desktop ${init.width}x${init.height} "${init.name}"`,
      );
    } finally {
      transport.close();
    }
    const replay = await webSocketTransport(wsUrl, { cookie, origin: portal }).then(
      (again) => {
        again.close();
        return 'opened';
      },
      (error: Error) => error.message,
    );
    expect(/HTTP 403/.test(replay), `replaying the used token gave "${replay}", not HTTP 403`);
    pass("VNC: the used token replayed through nginx is refused with the API's 403");
  } finally {
    const stop = await api('POST', `/api/sessions/${id}/stop`);
    const removed = await api('DELETE', `/api/sessions/${id}`);
    expect(
      stop.status === 200 && removed.status === 204,
      `stop answered ${stop.status}, delete ${removed.status}`,
    );
  }
  pass('VNC: session stopped and deleted through nginx');
}

async function main(): Promise<void> {
  const started = Date.now();
  await rest();
  const polling = await socketOver(['polling']);
  polling.close();
  const socket = await socketOver(['websocket']);
  try {
    await vncSession(socket);
  } finally {
    socket.close();
  }
  console.log(
    `test-nginx: ${checks} checks through nginx passed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`test-nginx: FAIL - ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
