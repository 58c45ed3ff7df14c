// The gateway's handshake on a real Socket.IO server (no cluster): a page of another site is refused
// before any login is looked at, the portal's own page and Origin-less clients get through. And who
// has a desktop open reaches the session's owner and admins only, at connect time and at each change.
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type INestApplication, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  SCHEDULER_STATUS_EVENT,
  SESSION_VIEWERS_EVENT,
  type SessionViewersDto,
} from '@vizportal/session-domain';
import { io, type Socket } from 'socket.io-client';
import { AuthService } from '../auth/auth.service';
import { SchedulerStatus } from './scheduler-status';
import { SessionGateway, SOCKET_PATH } from './session.gateway';
import { SessionPresenter } from './session-presenter';
import { VncConnections } from './vnc-connections';

describe('SessionGateway handshake', () => {
  let app: INestApplication;
  let baseUrl: string;
  let warnings: string[];
  let connections: VncConnections;
  const authenticateRequest = jest.fn();

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [
        SessionGateway,
        SessionPresenter,
        SchedulerStatus,
        VncConnections,
        { provide: AuthService, useValue: { authenticateRequest } },
        { provide: ConfigService, useValue: { get: () => 10 } },
      ],
    }).compile();
    connections = moduleRef.get(VncConnections);
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(() => app.close());

  beforeEach(() => {
    warnings = [];
    jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation((message: unknown) => void warnings.push(String(message)));
    // Everyone is alice: the cookie is not what these tests are about.
    authenticateRequest.mockReset().mockResolvedValue({ username: 'alice', isAdmin: false });
  });

  afterEach(() => jest.restoreAllMocks());

  /** Connects over `transport` with these headers: 'scheduler.status' (the first event) or the error. */
  function connect(transport: 'websocket' | 'polling', headers: Record<string, string>): Promise<string> {
    const socket = io(baseUrl, {
      path: SOCKET_PATH,
      transports: [transport],
      reconnection: false,
      extraHeaders: headers,
    });
    return new Promise<string>((resolve) => {
      socket.once(SCHEDULER_STATUS_EVENT, () => resolve('scheduler.status'));
      socket.once('connect_error', (error) => resolve(`refused: ${error.message}`));
    }).finally(() => socket.disconnect());
  }

  /** One raw Engine.IO handshake request: its status and body. */
  function rawHandshake(query: string, headers: Record<string, string>): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${baseUrl}${SOCKET_PATH}/?EIO=4&${query}`, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(`${res.statusCode} ${body}`));
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve(`${res.statusCode}`);
      });
      req.on('error', reject);
      req.end();
    });
  }

  it.each(['websocket', 'polling'] as const)(
    'refuses a socket over %s opened by a page of another site',
    async (transport) => {
      expect(await connect(transport, { origin: 'https://evil.example' })).toMatch(/^refused/);
      expect(await connect(transport, { origin: 'null' })).toMatch(/^refused/);
      expect(await connect(transport, { origin: baseUrl.replace('127.0.0.1', 'localhost') })).toMatch(
        /^refused/,
      );
      // Refused before the login was even looked at; and logged.
      expect(authenticateRequest).not.toHaveBeenCalled();
      expect(warnings.join('\n')).toContain('refused as cross-site: {"origin":"https://evil.example"}');
    },
  );

  it('refuses the handshake request itself, by Origin or by Sec-Fetch-Site, upgrade or polling', async () => {
    const upgrade = {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    };
    // Engine.IO answers every refused upgrade 400, with allowRequest's sentence; a refused polling handshake 403.
    expect(await rawHandshake('transport=websocket', { ...upgrade, origin: 'https://evil.example' })).toBe(
      '400 Cross-site socket refused',
    );
    expect(await rawHandshake('transport=polling', { origin: 'https://evil.example' })).toMatch(
      /^403 .*Cross-site socket refused/,
    );
    expect(await rawHandshake('transport=polling', { 'sec-fetch-site': 'cross-site' })).toMatch(/^403 /);
    // The controls: the same requests from the portal's own page are let through.
    expect(await rawHandshake('transport=websocket', { ...upgrade, origin: baseUrl })).toBe('101');
    expect(
      await rawHandshake('transport=polling', { origin: baseUrl, 'sec-fetch-site': 'same-origin' }),
    ).toMatch(/^200 0\{"sid"/);
  });

  it.each(['websocket', 'polling'] as const)(
    "lets in, over %s, the portal's own page and clients that send no Origin",
    async (transport) => {
      expect(await connect(transport, { origin: baseUrl })).toBe('scheduler.status');
      expect(await connect(transport, {})).toBe('scheduler.status');
      expect(authenticateRequest).toHaveBeenCalledTimes(2);
    },
  );

  it('still refuses a same-site socket without a login', async () => {
    authenticateRequest.mockResolvedValue(null);
    expect(await connect('websocket', { origin: baseUrl })).toBe('refused: Log in first');
  });

  describe('who has a desktop open', () => {
    const opened: Socket[] = [];
    afterEach(() => opened.splice(0).forEach((socket) => socket.disconnect()));

    /** A socket of `username`, connected, collecting the 'session.viewers' events it receives. */
    async function socketOf(username: string, isAdmin = false): Promise<SessionViewersDto[]> {
      authenticateRequest.mockResolvedValueOnce({ username, isAdmin });
      const received: SessionViewersDto[] = [];
      const socket = io(baseUrl, { path: SOCKET_PATH, transports: ['websocket'], reconnection: false });
      opened.push(socket);
      socket.on(SESSION_VIEWERS_EVENT, (viewers) => received.push(viewers));
      await new Promise((done) => socket.once(SCHEDULER_STATUS_EVENT, done));
      return received;
    }

    const arrived = (events: SessionViewersDto[], count: number) =>
      new Promise<void>((done, fail) => {
        const started = Date.now();
        const check = () =>
          events.length >= count
            ? done()
            : Date.now() - started > 3000
              ? fail(new Error('no event'))
              : setTimeout(check, 10);
        check();
      });

    it("tells a new socket who views its user's sessions, and an admin's socket everyone's", async () => {
      const endAlice = connections.take({ sessionId: 'a1', owner: 'alice', username: 'alice' });
      const endBob = connections.take({ sessionId: 'b1', owner: 'bob', username: 'bob' });
      try {
        const alice = await socketOf('alice');
        const admin = await socketOf('admin', true);
        await arrived(admin, 2);
        expect(alice.map(({ id }) => id)).toEqual(['a1']);
        expect(alice[0].viewers.map(({ username }) => username)).toEqual(['alice']);
        expect(admin.map(({ id }) => id).sort()).toEqual(['a1', 'b1']);
      } finally {
        endAlice();
        endBob();
      }
    });

    it("sends each open and close to the session's owner and to admins, and to no one else", async () => {
      const alice = await socketOf('alice');
      const bob = await socketOf('bob');
      const admin = await socketOf('admin', true);

      const end = connections.take({ sessionId: 'a2', owner: 'alice', username: 'admin' });
      await arrived(alice, 1);
      end();
      await arrived(alice, 2);
      await arrived(admin, 2);

      expect(alice).toEqual([
        { id: 'a2', viewers: [{ username: 'admin', openedAt: expect.any(String) }] },
        { id: 'a2', viewers: [] },
      ]);
      expect(admin).toEqual(alice);
      expect(bob).toEqual([]);
    });
  });
});
