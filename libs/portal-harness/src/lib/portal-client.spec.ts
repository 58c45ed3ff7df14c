// The client helpers against a small in-test HTTP server standing in for the portal.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { apiJson, createAccounts, freePort, login, sessionCookieFrom } from './portal-client';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

describe('portal client', () => {
  let server: Server;
  let baseUrl: string;
  let handler: Handler;
  const requests: { method: string; url: string; cookie?: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', cookie: req.headers.cookie, body });
        handler(req, body, res);
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterAll(() => new Promise((done) => server.close(done)));

  beforeEach(() => {
    requests.length = 0;
  });

  describe('freePort', () => {
    it('gives a port that can be listened on at once', async () => {
      const port = await freePort();
      expect(port).toBeGreaterThan(0);
      const probe = createTcpServer();
      await new Promise<void>((done, fail) => {
        probe.once('error', fail);
        probe.listen(port, '127.0.0.1', done);
      });
      await new Promise((done) => probe.close(done));
    });
  });

  describe('sessionCookieFrom', () => {
    it('keeps the session cookie, without its attributes, among other cookies', () => {
      expect(
        sessionCookieFrom([
          'theme=dark; Path=/',
          'vizportal_session=abc.def; Path=/; HttpOnly; SameSite=Strict; Expires=Wed, 01 Jan 2031 00:00:00 GMT',
        ]),
      ).toBe('vizportal_session=abc.def');
    });

    it('finds none in other cookies, or one whose name only starts the same', () => {
      expect(sessionCookieFrom([])).toBeUndefined();
      expect(
        sessionCookieFrom(['vizportal_session_old=x; Path=/', 'other=vizportal_session=y']),
      ).toBeUndefined();
    });
  });

  describe('login', () => {
    it('posts the account and returns the Cookie header value', async () => {
      handler = (_req, _body, res) => {
        res.setHeader('set-cookie', ['csrf=1; Path=/', 'vizportal_session=tok3n; Path=/; HttpOnly']);
        res.end('{}');
      };
      expect(await login(baseUrl, { username: 'alice', password: 'pw' })).toBe('vizportal_session=tok3n');
      expect(requests).toEqual([
        expect.objectContaining({
          method: 'POST',
          url: '/api/auth/login',
          body: JSON.stringify({ username: 'alice', password: 'pw' }),
        }),
      ]);
    });

    it('takes anything with a baseUrl', async () => {
      handler = (_req, _body, res) => {
        res.setHeader('set-cookie', 'vizportal_session=t; Path=/');
        res.end('{}');
      };
      expect(await login({ baseUrl }, { username: 'alice', password: 'pw' })).toBe('vizportal_session=t');
    });

    it('throws with the status and the answer on a refused login, and when no cookie is set', async () => {
      handler = (_req, _body, res) => {
        res.statusCode = 401;
        res.end('Wrong username or password');
      };
      await expect(login(baseUrl, { username: 'alice', password: 'x' })).rejects.toThrow(
        'login of alice: HTTP 401 Wrong username or password',
      );
      handler = (_req, _body, res) => res.end('{}');
      await expect(login(baseUrl, { username: 'alice', password: 'x' })).rejects.toThrow(
        'login of alice set no vizportal_session cookie',
      );
    });
  });

  describe('apiJson', () => {
    it('sends the cookie and the JSON body, and parses the answer; a 204 is undefined', async () => {
      handler = (req, _body, res) => {
        if (req.method === 'DELETE') {
          res.statusCode = 204;
          res.end();
          return;
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: 's1' }));
      };
      expect(
        await apiJson(baseUrl, 'vizportal_session=c', 'POST', '/api/sessions', { appId: 'xterm' }),
      ).toEqual({
        id: 's1',
      });
      expect(await apiJson(baseUrl, 'vizportal_session=c', 'DELETE', '/api/sessions/s1')).toBeUndefined();
      expect(requests.map((r) => [r.method, r.cookie, r.body])).toEqual([
        ['POST', 'vizportal_session=c', '{"appId":"xterm"}'],
        ['DELETE', 'vizportal_session=c', ''],
      ]);
    });

    it('throws with the method, path, status and answer on an error', async () => {
      handler = (_req, _body, res) => {
        res.statusCode = 403;
        res.end('not yours');
      };
      await expect(apiJson(baseUrl, 'c', 'GET', '/api/sessions/x')).rejects.toThrow(
        'GET /api/sessions/x: HTTP 403 not yours',
      );
    });
  });

  describe('createAccounts', () => {
    it('logs in as the admin and creates each account; one that exists (409) is fine', async () => {
      handler = (req, body, res) => {
        if (req.url === '/api/auth/login') {
          res.setHeader('set-cookie', 'vizportal_session=admin-cookie; Path=/');
          res.end('{}');
          return;
        }
        res.statusCode = JSON.parse(body).username === 'bob' ? 409 : 201;
        res.end('{}');
      };
      const accounts = await createAccounts(
        baseUrl,
        { username: 'admin', password: 'a' },
        ['alice', { username: 'bob', password: 'given' }],
        { passwordFor: (name) => `${name}-secret` },
      );
      expect(accounts).toEqual([
        { username: 'alice', password: 'alice-secret' },
        { username: 'bob', password: 'given' },
      ]);
      expect(requests.slice(1).map((r) => [r.url, r.cookie, JSON.parse(r.body)])).toEqual([
        ['/api/users', 'vizportal_session=admin-cookie', { username: 'alice', password: 'alice-secret' }],
        ['/api/users', 'vizportal_session=admin-cookie', { username: 'bob', password: 'given' }],
      ]);
    });

    it('throws on any other answer', async () => {
      handler = (req, _body, res) => {
        if (req.url === '/api/auth/login') {
          res.setHeader('set-cookie', 'vizportal_session=admin-cookie; Path=/');
          res.end('{}');
          return;
        }
        res.statusCode = 400;
        res.end('username must be a Unix account name');
      };
      await expect(createAccounts(baseUrl, { username: 'admin', password: 'a' }, ['../x'])).rejects.toThrow(
        'creating ../x: HTTP 400 username must be a Unix account name',
      );
    });
  });
});
