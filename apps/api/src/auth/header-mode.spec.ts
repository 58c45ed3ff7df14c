import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { createAuthTestApp, type AuthTestApp } from './testing/auth-test-app';
import { UserService } from './user.service';

// supertest connects from 127.0.0.1 (seen as ::ffff:127.0.0.1 on the dual-stack socket).
describe('AuthModule behind a single sign-on proxy (AUTH_MODE=header)', () => {
  let dir: string;
  let t: AuthTestApp;
  let warnings: string[];

  async function start(env: Record<string, string> = {}): Promise<void> {
    t = await createAuthTestApp(join(dir, 'auth.sqlite'), {
      AUTH_MODE: 'header',
      AUTH_ADMIN_USERS: 'carol, dave',
      ...env,
    });
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vizportal-auth-header-'));
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((...args: unknown[]) => {
      warnings.push(String(args[0]));
    });
  });

  afterEach(async () => {
    await t?.app.close();
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the user from X-Remote-User sent by a trusted address (the default 127.0.0.1, ::1)', async () => {
    await start();
    const me = await request(t.http).get('/api/auth/me').set('X-Remote-User', 'alice').expect(200);
    expect(me.body).toEqual({ username: 'alice', isAdmin: false, groups: [], authMode: 'header' });
    const admin = await request(t.http).get('/api/test/admin').set('X-Remote-User', 'carol').expect(200);
    expect(admin.body).toEqual({ admin: true });
    await request(t.http).get('/api/test/admin').set('X-Remote-User', 'alice').expect(403);
    expect(warnings).toEqual([]);
  });

  it("takes the user's groups from AUTH_GROUPS_HEADER, dropping what is not a group name", async () => {
    await start({ AUTH_GROUPS_HEADER: 'X-Remote-Groups' });
    const me = await request(t.http)
      .get('/api/auth/me')
      .set('X-Remote-User', 'alice')
      .set('X-Remote-Groups', 'cae-users, gpu-users;staff  $(id) ../x')
      .expect(200);
    expect(me.body.groups).toEqual(['cae-users', 'gpu-users', 'staff']);
    // Without the setting, the same header gives no groups.
    await t.app.close();
    await start();
    const plain = await request(t.http)
      .get('/api/auth/me')
      .set('X-Remote-User', 'alice')
      .set('X-Remote-Groups', 'cae-users')
      .expect(200);
    expect(plain.body.groups).toEqual([]);
  });

  it('uses the header named by AUTH_HEADER, and a CIDR in AUTH_TRUSTED_PROXIES', async () => {
    await start({ AUTH_HEADER: 'X-Forwarded-User', AUTH_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.0/8' });
    await request(t.http).get('/api/auth/me').set('X-Remote-User', 'alice').expect(401);
    const me = await request(t.http).get('/api/auth/me').set('X-Forwarded-User', 'alice').expect(200);
    expect(me.body.username).toBe('alice');
  });

  it('refuses the header from an address not in AUTH_TRUSTED_PROXIES, with a warning that does not repeat the value', async () => {
    await start({ AUTH_TRUSTED_PROXIES: '10.9.9.9' });
    const res = await request(t.http)
      .get('/api/auth/me')
      .set('X-Remote-User', 'alice')
      .set('X-Forwarded-For', '10.9.9.9')
      .expect(401);
    expect(res.body).toEqual({ statusCode: 401, message: 'Log in first', error: 'Unauthorized' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /X-Remote-User header from (::ffff:)?127\.0\.0\.1, which is not in AUTH_TRUSTED_PROXIES/,
    );
    expect(warnings[0]).not.toContain('alice');
  });

  it.each([['rm -rf'], ['../x'], ['Alice'], ['alice@example.org'], ['a'.repeat(33)]])(
    'refuses %j as a user name with 401',
    async (name) => {
      await start();
      const res = await request(t.http).get('/api/test/protected').set('X-Remote-User', name).expect(401);
      expect(res.body.message).toBe(
        'Log in first: the sign-in proxy sent a user name that is not a valid account name',
      );
    },
  );

  it('answers 401 without the header, and ignores a login cookie', async () => {
    await start();
    const res = await request(t.http)
      .get('/api/test/protected')
      .set('Cookie', 'vizportal_session=anything')
      .expect(401);
    expect(res.body.message).toBe('Log in first: the sign-in proxy did not say who you are');
    await request(t.http).get('/api/test/public').expect(200);
  });

  it('has no local login, logout or account API: 404 with a message pointing at the proxy', async () => {
    await start({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root-password' });
    const loginRes = await request(t.http)
      .post('/api/auth/login')
      .send({ username: 'alice', password: 'whatever-1' })
      .expect(404);
    expect(loginRes.body.message).toMatch(/single sign-on proxy \(AUTH_MODE=header\)/);
    expect(loginRes.headers['set-cookie']).toBeUndefined();
    await request(t.http).post('/api/auth/logout').expect(404);
    await request(t.http)
      .post('/api/users')
      .set('X-Remote-User', 'carol')
      .send({ username: 'bob', password: 'bob-password' })
      .expect(404);
    // ADMIN_USERNAME is not used in header mode: no local account was created.
    expect(await t.app.get(UserService).list()).toEqual([]);
    expect(warnings).toContain(
      'ADMIN_USERNAME is ignored with AUTH_MODE=header; name administrators in AUTH_ADMIN_USERS',
    );
  });

  it('still refuses cross-site POSTs (the proxy cookie is just as ambient)', async () => {
    await start();
    const res = await request(t.http)
      .post('/api/test/protected')
      .set('X-Remote-User', 'alice')
      .set('Host', 'portal.example')
      .set('Origin', 'https://evil.example')
      .expect(403);
    expect(res.body.message).toBe('Cross-site request refused');
    await request(t.http)
      .post('/api/test/protected')
      .set('X-Remote-User', 'alice')
      .set('Host', 'portal.example')
      .set('Origin', 'https://portal.example')
      .expect(201);
  });
});
