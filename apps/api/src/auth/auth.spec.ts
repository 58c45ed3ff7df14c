import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { AuthService, SESSION_COOKIE_NAME } from './auth.service';
import { LoginSessionEntity } from './entities/login-session.entity';
import { createAuthTestApp, type AuthTestApp } from './testing/auth-test-app';
import { UserService } from './user.service';

const PASSWORD = 'alice-password-1';

/** The `name=value` part of our Set-Cookie header, plus its attributes. */
function sessionCookie(res: request.Response): { pair: string; attributes: string[] } {
  const header = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((line) => line.startsWith(`${SESSION_COOKIE_NAME}=`));
  if (!header)
    throw new Error(`no ${SESSION_COOKIE_NAME} cookie in ${JSON.stringify(res.headers['set-cookie'])}`);
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  return { pair, attributes };
}

describe('AuthModule, local accounts (AUTH_MODE=local)', () => {
  let dir: string;
  let t: AuthTestApp;
  let logLines: string[];

  async function start(env: Record<string, string> = {}): Promise<void> {
    t = await createAuthTestApp(join(dir, 'auth.sqlite'), env);
    await t.app.get(UserService).ensureUser('alice', PASSWORD, false);
  }

  async function expireAllLogins(): Promise<void> {
    const sessions = t.dataSource.getRepository(LoginSessionEntity);
    for (const { id } of await sessions.find())
      await sessions.update({ id }, { expiresAt: new Date(Date.now() - 1000) });
  }

  const login = (username = 'alice', password = PASSWORD) =>
    request(t.http).post('/api/auth/login').send({ username, password });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vizportal-auth-'));
    logLines = [];
    for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        logLines.push(String(args[0]));
      });
    }
  });

  afterEach(async () => {
    await t?.app.close();
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with an httpOnly SameSite=Strict cookie holding an opaque token, and /me answers with it', async () => {
    await start();
    const res = await login().expect(200);
    expect(res.body).toEqual({ username: 'alice', isAdmin: false, groups: [], authMode: 'local' });
    const cookie = sessionCookie(res);
    expect(cookie.attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Strict']));
    expect(cookie.attributes).not.toContain('Secure');
    const token = cookie.pair.slice(SESSION_COOKIE_NAME.length + 1);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url

    // Only a SHA-256 of the token is stored.
    const rows = await t.dataSource.getRepository(LoginSessionEntity).find();
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].tokenHash).not.toContain(token);
    expect(rows[0].expiresAt.getTime() - rows[0].createdAt.getTime()).toBe(12 * 3_600_000);

    const me = await request(t.http).get('/api/auth/me').set('Cookie', cookie.pair).expect(200);
    expect(me.body).toEqual({ username: 'alice', isAdmin: false, groups: [], authMode: 'local' });

    // Neither the password nor the token reached a log line.
    expect(logLines.some((line) => line.includes('alice'))).toBe(true);
    expect(
      logLines.filter(
        (line) => line.includes(PASSWORD) || line.includes(token) || line.includes(rows[0].tokenHash),
      ),
    ).toEqual([]);
  });

  it('marks the cookie Secure when SESSION_COOKIE_SECURE=true, and honours LOGIN_SESSION_TTL_HOURS', async () => {
    await start({ SESSION_COOKIE_SECURE: 'true', LOGIN_SESSION_TTL_HOURS: '2' });
    const cookie = sessionCookie(await login().expect(200));
    expect(cookie.attributes).toContain('Secure');
    const expires = cookie.attributes.find((attribute) => attribute.startsWith('Expires='));
    const hoursLeft = (Date.parse(String(expires?.slice('Expires='.length))) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(1.9);
    expect(hoursLeft).toBeLessThanOrEqual(2);
  });

  it('answers a wrong password and an unknown user with the same 401, and sets no cookie', async () => {
    await start();
    const wrongPassword = await login('alice', 'not-the-password').expect(401);
    const unknownUser = await login('mallory', PASSWORD).expect(401);
    const invalidName = await login('../x', PASSWORD).expect(401);
    for (const res of [wrongPassword, unknownUser, invalidName]) {
      expect(res.body).toEqual({
        statusCode: 401,
        message: 'Wrong username or password',
        error: 'Unauthorized',
      });
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('refuses a login body without a password with 400 and the field named', async () => {
    await start();
    const res = await request(t.http).post('/api/auth/login').send({ username: 'alice' }).expect(400);
    expect(res.body.message).toEqual(expect.arrayContaining(['password should not be empty']));
  });

  it('logout revokes the login on the server: the old cookie no longer works', async () => {
    await start();
    const cookie = sessionCookie(await login().expect(200)).pair;
    const out = await request(t.http).post('/api/auth/logout').set('Cookie', cookie).expect(204);
    const cleared = sessionCookie(out);
    expect(cleared.pair).toBe(`${SESSION_COOKIE_NAME}=`);
    expect(cleared.attributes).toEqual(
      expect.arrayContaining([
        'Path=/',
        'HttpOnly',
        'SameSite=Strict',
        'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
      ]),
    );
    expect(await t.dataSource.getRepository(LoginSessionEntity).count()).toBe(0);
    const me = await request(t.http).get('/api/auth/me').set('Cookie', cookie).expect(401);
    expect(me.body.message).toMatch(/^Log in first/);
  });

  it('refuses an expired login and deletes it', async () => {
    await start();
    const cookie = sessionCookie(await login().expect(200)).pair;
    const sessions = t.dataSource.getRepository(LoginSessionEntity);
    await expireAllLogins();
    const res = await request(t.http).get('/api/auth/me').set('Cookie', cookie).expect(401);
    expect(res.body).toEqual({
      statusCode: 401,
      message: 'Log in first: your login has expired',
      error: 'Unauthorized',
    });
    expect(await sessions.count()).toBe(0);
  });

  it('a new login clears out expired ones from the table', async () => {
    await start();
    await login().expect(200);
    const sessions = t.dataSource.getRepository(LoginSessionEntity);
    await expireAllLogins();
    await login().expect(200);
    const rows = await sessions.find();
    expect(rows).toHaveLength(1);
    expect(rows[0].expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('rate-limits login per client address: 429 with a clear message once the limit is used up', async () => {
    await start({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    await login('alice', 'wrong-1').expect(401);
    await login('alice', 'wrong-2').expect(401);
    await login().expect(200);
    const limited = await login().expect(429);
    expect(limited.body).toEqual({
      statusCode: 429,
      message: 'Too many login attempts from your address. Wait a minute, then try again.',
    });
    expect(Number(limited.headers['retry-after-login'])).toBeGreaterThan(0);
    expect(limited.headers['set-cookie']).toBeUndefined();
    // Other routes are not limited.
    for (let i = 0; i < 5; i++) await request(t.http).get('/api/test/public').expect(200);
  });

  it('behind a trusted proxy, counts login attempts per client address from X-Forwarded-For', async () => {
    // The test client's peer address is 127.0.0.1, the default AUTH_TRUSTED_PROXIES: nginx's place.
    await start({ LOGIN_RATE_LIMIT_PER_MINUTE: '2' });
    const from = (client: string) => login('alice', 'wrong').set('X-Forwarded-For', client);
    await from('198.51.100.1').expect(401);
    await from('198.51.100.1').expect(401);
    await from('198.51.100.1').expect(429);
    // Another user behind the same proxy still has their own budget.
    await from('198.51.100.2').expect(401);
    // nginx appends the address it saw: what a client wrote left of it changes nothing.
    await from('203.0.113.9, 198.51.100.1').expect(429);
    await from('198.51.100.1, 198.51.100.2').expect(401);
    await from('198.51.100.1, 198.51.100.2').expect(429);
  });

  it('never reads X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    await start({ LOGIN_RATE_LIMIT_PER_MINUTE: '2', AUTH_TRUSTED_PROXIES: '10.9.9.9' });
    await login('alice', 'wrong').set('X-Forwarded-For', '198.51.100.1').expect(401);
    await login('alice', 'wrong').set('X-Forwarded-For', '198.51.100.2').expect(401);
    // A made-up address per attempt would otherwise be a fresh budget per attempt.
    await login('alice', 'wrong').set('X-Forwarded-For', '198.51.100.3').expect(429);
    await login().expect(429);
  });

  it('guards every route: 401 "Log in first" without a cookie or with a made-up one; @Public routes answer anyway', async () => {
    await start();
    const none = await request(t.http).get('/api/test/protected').expect(401);
    expect(none.body).toEqual({ statusCode: 401, message: 'Log in first', error: 'Unauthorized' });
    const forged = await request(t.http)
      .get('/api/test/protected')
      .set('Cookie', `${SESSION_COOKIE_NAME}=${'A'.repeat(43)}`)
      .expect(401);
    expect(forged.body.message).toMatch(/^Log in first/);
    await request(t.http).get('/api/auth/me').expect(401);
    await request(t.http).get('/api/users').expect(401);
    expect((await request(t.http).get('/api/test/public').expect(200)).body).toEqual({ open: true });

    const cookie = sessionCookie(await login().expect(200)).pair;
    expect((await request(t.http).get('/api/test/protected').set('Cookie', cookie).expect(200)).body).toEqual(
      { username: 'alice', isAdmin: false, groups: [] },
    );
    const notAdmin = await request(t.http).get('/api/test/admin').set('Cookie', cookie).expect(403);
    expect(notAdmin.body.message).toBe('Only an administrator may do this');
  });

  it('ignores a proxy user header in local mode', async () => {
    await start();
    await request(t.http).get('/api/auth/me').set('X-Remote-User', 'alice').expect(401);
  });

  describe('cross-site requests', () => {
    it('refuses a cookie-authenticated POST from a foreign Origin with 403; same-origin and Origin-less ones pass', async () => {
      await start();
      const cookie = sessionCookie(await login().expect(200)).pair;
      const post = () =>
        request(t.http).post('/api/test/protected').set('Cookie', cookie).set('Host', 'portal.example:8080');

      const foreign = await post().set('Origin', 'https://evil.example').expect(403);
      expect(foreign.body).toEqual({
        statusCode: 403,
        message: 'Cross-site request refused',
        error: 'Forbidden',
      });
      await post().set('Origin', 'http://portal.example:8081').expect(403); // another port is another origin
      await post().set('Origin', 'null').expect(403);

      expect((await post().set('Origin', 'http://portal.example:8080').expect(201)).body).toEqual({
        changedBy: 'alice',
      });
      await post().expect(201); // no Origin: curl, scripts
      // Behind a proxy that rewrote Host, the browser's host arrives in X-Forwarded-Host.
      await request(t.http)
        .post('/api/test/protected')
        .set('Cookie', cookie)
        .set('Host', '127.0.0.1:8080')
        .set('X-Forwarded-Host', 'portal.example')
        .set('Origin', 'https://portal.example')
        .expect(201);
      // Reading is not state-changing.
      await request(t.http)
        .get('/api/test/protected')
        .set('Cookie', cookie)
        .set('Origin', 'https://evil.example')
        .expect(200);
    });

    it('refuses a login posted by another site (login CSRF) and a cross-site logout', async () => {
      await start();
      const res = await login().set('Origin', 'https://evil.example').expect(403);
      expect(res.headers['set-cookie']).toBeUndefined();
      const cookie = sessionCookie(await login().expect(200)).pair;
      await request(t.http)
        .post('/api/auth/logout')
        .set('Cookie', cookie)
        .set('Origin', 'https://evil.example')
        .expect(403);
      await request(t.http).get('/api/auth/me').set('Cookie', cookie).expect(200);
    });
  });

  describe('AuthService.authenticateRequest on a raw IncomingMessage (no Express, no cookie-parser: as a WebSocket upgrade)', () => {
    let raw: Server;
    let url: string;

    async function startRawServer(): Promise<void> {
      const auth = t.app.get(AuthService);
      raw = createServer((req, res) => {
        void auth.authenticateRequest(req).then((user) => res.end(JSON.stringify(user)));
      });
      await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/`;
    }

    afterEach(async () => {
      await new Promise((resolve) => raw?.close(resolve));
    });

    it('finds the user from the Cookie header among other cookies, and null without or after logout', async () => {
      await start();
      await startRawServer();
      const cookie = sessionCookie(await login().expect(200)).pair;
      const ask = async (headers: Record<string, string>) => (await fetch(url, { headers })).json();
      expect(await ask({ Cookie: `theme=dark; ${cookie}; other=1` })).toEqual({
        username: 'alice',
        isAdmin: false,
        groups: [],
      });
      expect(await ask({})).toBeNull();
      expect(await ask({ Cookie: `${SESSION_COOKIE_NAME}=j%3A%7B%7D` })).toBeNull(); // cookie-parser's JSON form is not a token
      await request(t.http).post('/api/auth/logout').set('Cookie', cookie).expect(204);
      expect(await ask({ Cookie: cookie })).toBeNull();
    });
  });

  it('documents the endpoints in the OpenAPI document, with cookie auth and the error answers', async () => {
    await start();
    const doc = (await request(t.http).get('/api/docs-json').expect(200)).body;
    const loginOp = doc.paths['/api/auth/login'].post;
    expect(loginOp.tags).toEqual(['auth']);
    expect(Object.keys(loginOp.responses).sort()).toEqual(['200', '400', '401', '403', '404', '429']);
    expect(loginOp.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/LoginDto');
    const meOp = doc.paths['/api/auth/me'].get;
    expect(meOp.security).toEqual([{ [SESSION_COOKIE_NAME]: [] }]);
    expect(Object.keys(meOp.responses).sort()).toEqual(['200', '401']);
    expect(Object.keys(doc.paths['/api/users'].post.responses).sort()).toEqual([
      '201',
      '400',
      '401',
      '403',
      '404',
      '409',
    ]);
    expect(doc.paths['/api/users'].get.security).toEqual([{ [SESSION_COOKIE_NAME]: [] }]);
    expect(doc.paths['/api/auth/logout'].post.responses['204']).toBeDefined();
  });
});
