// VncProxy.authorize, the upgrade check, with its collaborators stubbed (no cluster, no Xvnc): a page
// of another site is refused before anything else, so it cannot even use up a token. Then the
// proxy on a real HTTP server, bridging to a TCP server that stands in for Xvnc: the limits on
// message size and on open connections.
import { type IncomingMessage, type Server, createServer as createHttpServer } from 'node:http';
import { type AddressInfo, type Server as TcpServer, type Socket, createServer } from 'node:net';
import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { HttpAdapterHost } from '@nestjs/core';
import type { AuthService } from '../auth/auth.service';
import type { ClusterService } from '../cluster/cluster.service';
import type { AppConfig } from '../config/app-config';
import type { SessionRepository } from '../sessions/session.repository';
import { WebSocket } from 'ws';
import { VizportalMetrics } from '../metrics/vizportal-metrics';
import type { ConnectTokenService } from '../sessions/connect-token.service';
import { VncConnections } from '../sessions/vnc-connections';
import { VncEndpointPolicy } from '../sessions/vnc-endpoint-policy';
import { VncProxy } from './vnc-proxy';
import type { AuditService, NewAuditEvent } from '../audit/audit.service';

/** The audit log is AuditService's to test (audit.service.spec.ts); here it only has to be there. */
const RECORDS_NOTHING = { record: async () => undefined } as unknown as AuditService;

const SESSION_ID = '0b6f5a8e-1111-4222-8333-444455556666';
const CONFIG: Partial<AppConfig> = {
  VNC_HOST_PATTERN: '^127\\.0\\.0\\.1$',
  VNC_PORT_MIN: 5920,
  VNC_PORT_MAX: 6019,
  VNC_MAX_MESSAGE_BYTES: 64 * 1024,
  VNC_MAX_CONNECTIONS_PER_SESSION: 3,
  VNC_MAX_CONNECTIONS_PER_USER: 5,
  VNC_HEARTBEAT_SECONDS: 1,
};

const configOf = (values: Partial<AppConfig>) =>
  ({ get: (key: keyof AppConfig) => values[key] }) as unknown as ConfigService<AppConfig, true>;

describe('VncProxy.authorize', () => {
  const consume = jest.fn();
  let proxy: VncProxy;
  let user: { username: string; isAdmin: boolean; groups: [] };
  let session: Record<string, unknown> | null;
  let nodeAddress: string | null;

  beforeEach(() => {
    consume.mockReset().mockReturnValue('alice');
    user = { username: 'alice', isAdmin: false, groups: [] };
    session = { id: SESSION_ID, owner: 'alice', state: 'running', node: 'viz01', endpoint: { port: 5921 } };
    nodeAddress = '127.0.0.1';
    proxy = new VncProxy(
      {} as HttpAdapterHost,
      { authenticateRequest: async () => user, clientAddress: () => '127.0.0.1' } as unknown as AuthService,
      RECORDS_NOTHING,
      { consume } as unknown as ConnectTokenService,
      { findById: async () => session } as unknown as SessionRepository,
      { nodeAddress: async () => nodeAddress } as unknown as ClusterService,
      new VncEndpointPolicy(configOf(CONFIG)),
      new VncConnections(configOf(CONFIG)),
      configOf(CONFIG),
    );
  });

  const upgrade = (headers: Record<string, string>) =>
    ({
      url: `/api/sessions/${SESSION_ID}/vnc?token=t0k3n`,
      method: 'GET',
      headers: { host: 'portal.example', upgrade: 'websocket', connection: 'Upgrade', ...headers },
    }) as unknown as IncomingMessage;

  it.each([
    ['an Origin of another site', { origin: 'https://evil.example' }],
    ['an Origin of a sibling port', { origin: 'https://portal.example:8443' }],
    ['Origin: null', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ])('refuses a handshake with %s with 403, leaving the token unused', async (_what, headers) => {
    await expect(proxy.authorize(upgrade(headers), SESSION_ID)).rejects.toMatchObject({
      status: 403,
      reason: 'cross-site handshake (Origin is not this portal)',
    });
    expect(consume).not.toHaveBeenCalled();
  });

  it.each([
    ["the portal's own page", { origin: 'https://portal.example' }],
    [
      "the portal's own page behind a proxy",
      { host: '127.0.0.1:8080', 'x-forwarded-host': 'portal.example', origin: 'https://portal.example' },
    ],
    ['a client that sends no Origin', {}],
  ])('lets %s through to the token check', async (_what, headers) => {
    await expect(proxy.authorize(upgrade(headers), SESSION_ID)).resolves.toEqual({
      target: { host: '127.0.0.1', port: 5921 },
      connection: { sessionId: SESSION_ID, owner: 'alice', username: 'alice' },
    });
    expect(consume).toHaveBeenCalledWith('t0k3n', SESSION_ID);
  });

  describe('refuses at connect time, after the token', () => {
    it.each([
      [
        'a session that is no longer running',
        () => (session = { ...session, state: 'cancelled', endpoint: null }),
        409,
        'session is cancelled',
      ],
      ['a session that is gone', () => (session = null), 404, 'no such session of this user'],
      [
        "another user's session",
        () => (session = { ...session, owner: 'bob' }),
        404,
        'no such session of this user',
      ],
      [
        'a node Slurm gives no address for',
        () => (nodeAddress = null),
        502,
        'Slurm gives no address for node viz01',
      ],
      [
        'a node address outside VNC_HOST_PATTERN',
        () => (nodeAddress = '10.0.0.7'),
        403,
        'node address 10.0.0.7 is outside VNC_HOST_PATTERN',
      ],
      [
        'a port outside the VNC range',
        () => (session = { ...session, endpoint: { port: 22 } }),
        403,
        'port 22 is outside the VNC port range 5920-6019',
      ],
      [
        'a token of another user',
        () => consume.mockReturnValue('bob'),
        403,
        'token of bob presented by alice',
      ],
      [
        'a token unknown, used or expired',
        () => consume.mockReturnValue(null),
        403,
        'token unknown, used, expired or for another session',
      ],
    ])('%s', async (_what, arrange, status, reason) => {
      arrange();
      // The refusal names who asked, for the audit log's actor, once the login is known.
      await expect(proxy.authorize(upgrade({}), SESSION_ID)).rejects.toMatchObject({
        status,
        reason,
        username: 'alice',
      });
    });

    it("lets an administrator through to another user's desktop", async () => {
      user = { username: 'admin', isAdmin: true, groups: [] };
      consume.mockReturnValue('admin');
      await expect(proxy.authorize(upgrade({}), SESSION_ID)).resolves.toEqual({
        target: { host: '127.0.0.1', port: 5921 },
        connection: { sessionId: SESSION_ID, owner: 'alice', username: 'admin' },
      });
    });
  });
});

describe('VncProxy on loopback, bridging to a TCP server that stands in for Xvnc', () => {
  // Any port: the stand-in listens where the kernel puts it. Every session is alice's and running there.
  const LIVE = { ...CONFIG, VNC_PORT_MIN: 1, VNC_PORT_MAX: 65535 };
  const MAX_MESSAGE = LIVE.VNC_MAX_MESSAGE_BYTES as number;
  const PER_SESSION = LIVE.VNC_MAX_CONNECTIONS_PER_SESSION as number;
  const PER_USER = LIVE.VNC_MAX_CONNECTIONS_PER_USER as number;
  let http: Server;
  let httpPort: number;
  let xvnc: TcpServer;
  let desktops: Socket[];
  let metrics: VizportalMetrics;
  let proxy: VncProxy;
  let warn: jest.SpyInstance;
  let clients: WebSocket[];
  let audited: NewAuditEvent[];
  let connections: VncConnections;

  beforeEach(async () => {
    desktops = [];
    connections = new VncConnections(configOf(LIVE));
    audited = [];
    clients = [];
    xvnc = createServer((desktop) => desktops.push(desktop.on('error', () => undefined)));
    const xvncPort = await listen(xvnc);
    http = createHttpServer();
    httpPort = await listen(http);
    metrics = new VizportalMetrics();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    proxy = new VncProxy(
      { httpAdapter: { getHttpServer: () => http } } as unknown as HttpAdapterHost,
      {
        authenticateRequest: async () => ({ username: 'alice', isAdmin: false, groups: [] }),
        clientAddress: () => '127.0.0.1',
      } as unknown as AuthService,
      { record: async (event: NewAuditEvent) => void audited.push(event) } as unknown as AuditService,
      // Every token is good, once: the token checks are authorize's, above.
      { consume: () => 'alice' } as unknown as ConnectTokenService,
      {
        findById: async (id: string) => ({
          id,
          owner: 'alice',
          state: 'running',
          node: 'viz01',
          endpoint: { port: xvncPort },
        }),
      } as unknown as SessionRepository,
      { nodeAddress: async () => '127.0.0.1' } as unknown as ClusterService,
      new VncEndpointPolicy(configOf(LIVE)),
      connections,
      configOf(LIVE),
      metrics,
    );
    proxy.onApplicationBootstrap();
  });

  afterEach(async () => {
    for (const client of clients) client.terminate();
    proxy.onApplicationShutdown();
    for (const desktop of desktops) desktop.destroy();
    await openFallsTo(0); // so that no bridge logs after the spies are gone
    await new Promise((done) => http.close(done));
    await new Promise((done) => xvnc.close(done));
    jest.restoreAllMocks();
  });

  type Attempt = { ws: WebSocket } | { status: number; reason: string };

  /** An upgrade to the session's /vnc: the open WebSocket, or the HTTP refusal the proxy answered. */
  function attempt(sessionId: string): Promise<Attempt> {
    const ws = new WebSocket(`ws://127.0.0.1:${httpPort}/api/sessions/${sessionId}/vnc?token=t0k3n`);
    clients.push(ws);
    return new Promise((done, fail) => {
      ws.once('open', () => done({ ws }));
      ws.once('unexpected-response', (request, response) => {
        done({ status: response.statusCode ?? 0, reason: response.statusMessage ?? '' });
        request.destroy();
      });
      ws.on('error', fail);
    });
  }

  async function opened(sessionId: string): Promise<WebSocket> {
    const result = await attempt(sessionId);
    if (!('ws' in result)) throw new Error(`refused: ${result.status} ${result.reason}`);
    return result.ws;
  }

  /** Waits until the proxy has seen its connections close (both sides) down to `count`. */
  async function openFallsTo(count: number): Promise<void> {
    for (let waited = 0; proxy.openConnections > count; waited += 10) {
      if (waited > 5000) throw new Error(`still ${proxy.openConnections} connections open`);
      await sleep(10);
    }
  }

  async function waitUntil(condition: () => boolean): Promise<void> {
    for (let waited = 0; !condition(); waited += 10) {
      if (waited > 5000) throw new Error('timed out');
      await sleep(10);
    }
  }

  async function refusals(status: string): Promise<number> {
    const { values } = await metrics.vncRefusals.get();
    return values.find((value) => value.labels.status === status)?.value ?? 0;
  }

  it('records each connection in the audit log: opened, then closed with the bytes each way', async () => {
    const ws = await opened('s-audit');
    await waitUntil(() => desktops.length === 1);
    desktops[0].write(Buffer.alloc(7, 0x61));
    await new Promise<void>((done) => ws.once('message', () => done()));
    ws.send(Buffer.alloc(5, 0x62));
    await waitUntil(() => desktops[0].bytesRead === 5);
    ws.close();
    await openFallsTo(0);
    await waitUntil(() => audited.length === 2);
    expect(audited[0]).toMatchObject({
      actor: 'alice',
      action: 'vnc.open',
      sessionId: 's-audit',
      address: '127.0.0.1',
    });
    expect(audited[1]).toMatchObject({
      actor: 'alice',
      action: 'vnc.close',
      sessionId: 's-audit',
      details: { toBrowser: 7, toDesktop: 5 },
    });
  });

  it("records who has the desktop open while the connection lasts, and announces each change for the session's owner", async () => {
    const changes: string[] = [];
    const subscription = connections.changes.subscribe(({ sessionId, owner }) =>
      changes.push(`${sessionId}:${owner}:${connections.viewersOf(sessionId).length}`),
    );
    const ws = await opened('s-viewers');
    expect(connections.viewersOf('s-viewers')).toEqual([
      { username: 'alice', openedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    ]);
    expect(connections.openSessions('alice')).toEqual([
      { id: 's-viewers', viewers: connections.viewersOf('s-viewers') },
    ]);
    ws.close();
    await openFallsTo(0);
    subscription.unsubscribe();
    expect(changes).toEqual(['s-viewers:alice:1', 's-viewers:alice:0']);
    expect(connections.openSessions(null)).toEqual([]);
  });

  it('records a refused upgrade with its status and reason', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${httpPort}/api/sessions/s-audit/vnc`); // no token
    ws.on('error', () => undefined);
    await new Promise<void>((done) =>
      ws.once('unexpected-response', (request) => {
        request.destroy();
        done();
      }),
    );
    await waitUntil(() => audited.length === 1);
    expect(audited[0]).toMatchObject({
      action: 'vnc.open',
      outcome: 'refused',
      sessionId: 's-audit',
      details: { status: 401, reason: 'no token' },
    });
  });

  describe('message size', () => {
    it.each([
      ['in one frame', (ws: WebSocket) => ws.send(Buffer.alloc(MAX_MESSAGE + 1, 0x62))],
      [
        'in fragments that are each under the limit',
        (ws: WebSocket) => {
          const fragment = Buffer.alloc(MAX_MESSAGE / 2, 0x62);
          for (let i = 0; i < 3; i++) ws.send(fragment, { binary: true, fin: false });
          ws.send(fragment, { binary: true, fin: true });
        },
      ],
    ])(
      'closes with 1009 on a browser message over VNC_MAX_MESSAGE_BYTES %s, passing none of it on',
      async (_how, sendOversized) => {
        const ws = await opened('s1');
        await until(() => desktops.length === 1);
        const [desktop] = desktops;
        const atDesktop = everything(desktop);
        // A message of exactly the limit goes through whole.
        const largest = Buffer.alloc(MAX_MESSAGE, 0x61);
        ws.send(largest);
        await until(() => desktop.bytesRead === MAX_MESSAGE);
        const closed = new Promise<number>((done) => ws.once('close', done));

        sendOversized(ws);

        expect(await closed).toBe(1009);
        // The desktop's socket closes with the browser's, and had nothing after the first message.
        expect((await atDesktop).equals(largest)).toBe(true);
        await openFallsTo(0);
        expect(warn).toHaveBeenCalledWith(
          `VNC proxy closed alice's connection to session s1: a message over VNC_MAX_MESSAGE_BYTES (${MAX_MESSAGE})`,
        );
      },
    );
  });

  describe('heartbeat', () => {
    it('drops a browser that stops answering pings within two intervals, and keeps one that answers', async () => {
      const answering = await opened('s1');
      // A client gone without closing: it never answers a ping.
      const silent = new WebSocket(`ws://127.0.0.1:${httpPort}/api/sessions/s1/vnc?token=t0k3n`, {
        autoPong: false,
      });
      clients.push(silent);
      await new Promise((done) => silent.once('open', done));
      await until(() => desktops.length === 2);
      const silentClosed = new Promise<number>((done) => silent.once('close', done));
      const started = Date.now();

      expect(await silentClosed).toBe(1006); // terminated, no closing handshake
      expect(Date.now() - started).toBeLessThan(2 * 1000 + 500);
      await openFallsTo(1);
      expect(warn).toHaveBeenCalledWith('VNC proxy dropped a connection that did not answer its ping');
      // The answering one is still bridged after more intervals.
      await sleep(1500);
      expect(answering.readyState).toBe(WebSocket.OPEN);
      expect(proxy.openConnections).toBe(1);
    });
  });

  describe('open connections', () => {
    it('refuses the one past VNC_MAX_CONNECTIONS_PER_SESSION with 429, logs and counts it; a closed one frees its slot', async () => {
      const open: WebSocket[] = [];
      for (let i = 0; i < PER_SESSION; i++) open.push(await opened('s1'));
      const reason = `${PER_SESSION} connections to this session are open, VNC_MAX_CONNECTIONS_PER_SESSION is ${PER_SESSION}`;

      await expect(attempt('s1')).resolves.toEqual({ status: 429, reason });
      expect(warn).toHaveBeenCalledWith(`VNC proxy refused session s1 from 127.0.0.1: ${reason}`);
      expect(await refusals('429')).toBe(1);
      // The refused attempt dialled no desktop.
      expect(desktops).toHaveLength(PER_SESSION);

      open[0].close();
      await openFallsTo(PER_SESSION - 1);
      expect(await attempt('s1')).toHaveProperty('ws');
      expect(proxy.openConnections).toBe(PER_SESSION);
    });

    it('lets exactly VNC_MAX_CONNECTIONS_PER_SESSION through of more upgrades that arrive at once', async () => {
      const results = await Promise.all(Array.from({ length: PER_SESSION + 2 }, () => attempt('s1')));

      expect(results.filter((result) => 'ws' in result)).toHaveLength(PER_SESSION);
      expect(results.filter((result) => 'status' in result && result.status === 429)).toHaveLength(2);
      expect(proxy.openConnections).toBe(PER_SESSION);
    });

    it("refuses the one past VNC_MAX_CONNECTIONS_PER_USER across the user's sessions", async () => {
      // s1 full, then s2 up to the user's limit: the per-session limit is no obstacle to another session.
      for (let i = 0; i < PER_SESSION; i++) await opened('s1');
      const s2: WebSocket[] = [];
      for (let i = PER_SESSION; i < PER_USER; i++) s2.push(await opened('s2'));
      const reason = `alice has ${PER_USER} connections open, VNC_MAX_CONNECTIONS_PER_USER is ${PER_USER}`;

      await expect(attempt('s3')).resolves.toEqual({ status: 429, reason });

      s2[0].close();
      await openFallsTo(PER_USER - 1);
      expect(await attempt('s3')).toHaveProperty('ws');
    });
  });
});

function listen(server: Server | TcpServer): Promise<number> {
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)),
  );
}

/** Every byte the socket receives, once it has closed. */
function everything(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((done) => socket.once('close', () => done(Buffer.concat(chunks))));
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5000) throw new Error('timed out waiting');
    await sleep(10);
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
