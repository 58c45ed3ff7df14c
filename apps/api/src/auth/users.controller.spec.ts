import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { SESSION_COOKIE_NAME } from './auth.service';
import { UserEntity } from './entities/user.entity';
import { createAuthTestApp, type AuthTestApp } from './testing/auth-test-app';
import { UserService } from './user.service';

const ADMIN_ENV = { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root-password-1' };

describe('accounts: the first administrator and /api/users', () => {
  let dir: string;
  let database: string;
  let t: AuthTestApp | undefined;
  let logLines: string[];

  const start = async (env: Record<string, string> = ADMIN_ENV) => {
    t = await createAuthTestApp(database, env);
    return t;
  };

  async function loginCookie(app: AuthTestApp, username: string, password: string): Promise<string> {
    const res = await request(app.http).post('/api/auth/login').send({ username, password }).expect(200);
    const header = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((line) => line.startsWith(`${SESSION_COOKIE_NAME}=`));
    return String(header).split(';')[0];
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vizportal-users-'));
    database = join(dir, 'auth.sqlite');
    logLines = [];
    for (const level of ['log', 'warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        logLines.push(String(args[0]));
      });
    }
  });

  afterEach(async () => {
    await t?.app.close();
    t = undefined;
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the migrations match the entities: TypeORM sees no pending schema change', async () => {
    const app = await start({});
    const pending = await app.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('creates the administrator from ADMIN_USERNAME/ADMIN_PASSWORD once; a restart does not duplicate or change it', async () => {
    let app = await start();
    expect(logLines).toContain('Created the administrator "root" from ADMIN_USERNAME');
    const cookie = await loginCookie(app, 'root', ADMIN_ENV.ADMIN_PASSWORD);
    expect((await request(app.http).get('/api/auth/me').set('Cookie', cookie).expect(200)).body).toEqual({
      username: 'root',
      isAdmin: true,
      groups: [],
      authMode: 'local',
    });
    const [{ passwordHash }] = await app.dataSource.getRepository(UserEntity).find();
    expect(passwordHash).toMatch(/^\$2b\$04\$/); // bcrypt at the configured cost (4 in tests)
    await app.app.close();

    logLines = [];
    app = await start({ ...ADMIN_ENV, ADMIN_PASSWORD: 'another-password' });
    const users = await app.dataSource.getRepository(UserEntity).find();
    expect(users.map((user) => [user.username, user.isAdmin, user.passwordHash])).toEqual([
      ['root', true, passwordHash],
    ]);
    expect(logLines.filter((line) => line.startsWith('Created'))).toEqual([]);
    // The login made before the restart still works: sessions live in the database.
    await request(app.http).get('/api/auth/me').set('Cookie', cookie).expect(200);
    expect(logLines.join('\n')).not.toContain('password');
  });

  it('POST /api/users: an administrator creates accounts that can log in; the answer carries no hash', async () => {
    const app = await start();
    const admin = await loginCookie(app, 'root', ADMIN_ENV.ADMIN_PASSWORD);
    const created = await request(app.http)
      .post('/api/users')
      .set('Cookie', admin)
      .send({ username: 'bob', password: 'bob-password' })
      .expect(201);
    expect(created.body).toEqual({
      username: 'bob',
      isAdmin: false,
      groups: [],
      disabled: false,
      quotaOverride: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    await request(app.http)
      .post('/api/users')
      .set('Cookie', admin)
      .send({ username: 'erin', password: 'erin-password', isAdmin: true })
      .expect(201);
    const bob = await loginCookie(app, 'bob', 'bob-password');
    expect((await request(app.http).get('/api/auth/me').set('Cookie', bob).expect(200)).body.isAdmin).toBe(
      false,
    );

    const list = await request(app.http).get('/api/users').set('Cookie', admin).expect(200);
    expect(
      list.body.map((user: { username: string; isAdmin: boolean }) => [user.username, user.isAdmin]),
    ).toEqual([
      ['bob', false],
      ['erin', true],
      ['root', true],
    ]);
    expect(JSON.stringify(list.body)).not.toContain('$2b$');
  });

  it('only administrators: 403 for a normal user, 401 without login', async () => {
    const app = await start();
    await app.app.get(UserService).ensureUser('bob', 'bob-password', false);
    const bob = await loginCookie(app, 'bob', 'bob-password');
    const res = await request(app.http)
      .post('/api/users')
      .set('Cookie', bob)
      .send({ username: 'eve', password: 'eve-password' })
      .expect(403);
    expect(res.body).toEqual({
      statusCode: 403,
      message: 'Only an administrator may do this',
      error: 'Forbidden',
    });
    await request(app.http).get('/api/users').set('Cookie', bob).expect(403);
    await request(app.http)
      .post('/api/users')
      .send({ username: 'eve', password: 'eve-password' })
      .expect(401);
    expect(await app.app.get(UserService).findByUsername('eve')).toBeNull();
  });

  it('409 for a taken user name', async () => {
    const app = await start();
    const admin = await loginCookie(app, 'root', ADMIN_ENV.ADMIN_PASSWORD);
    const res = await request(app.http)
      .post('/api/users')
      .set('Cookie', admin)
      .send({ username: 'root', password: 'whatever-1' })
      .expect(409);
    expect(res.body).toEqual({
      statusCode: 409,
      message: 'The user name "root" is already taken',
      error: 'Conflict',
    });
  });

  it.each([['rm -rf'], ['../x'], ['Bob'], ['-bob'], ['1bob'], ['a'.repeat(33)], ['']])(
    '400 with the field named for the user name %j',
    async (username) => {
      const app = await start();
      const admin = await loginCookie(app, 'root', ADMIN_ENV.ADMIN_PASSWORD);
      const res = await request(app.http)
        .post('/api/users')
        .set('Cookie', admin)
        .send({ username, password: 'long-enough' })
        .expect(400);
      expect(res.body.message).toEqual([expect.stringMatching(/^username must be a Unix account name/)]);
      expect(await app.app.get(UserService).list()).toHaveLength(1);
    },
  );

  it('400 for a short password, a non-boolean isAdmin and unknown fields', async () => {
    const app = await start();
    const admin = await loginCookie(app, 'root', ADMIN_ENV.ADMIN_PASSWORD);
    const res = await request(app.http)
      .post('/api/users')
      .set('Cookie', admin)
      .send({ username: 'bob', password: 'short', isAdmin: 'yes', passwordHash: 'x' })
      .expect(400);
    expect(res.body.message).toEqual(
      expect.arrayContaining([
        'password must be longer than or equal to 8 characters',
        'isAdmin must be a boolean value',
        'property passwordHash should not exist',
      ]),
    );
  });

  it('UserService applies the same rules to seeding, and ensureUser is idempotent', async () => {
    const app = await start({});
    const users = app.app.get(UserService);
    await expect(users.ensureUser('../x', 'long-enough', false)).rejects.toMatchObject({ status: 400 });
    await expect(users.ensureUser('bob', 'é'.repeat(37), false)).rejects.toMatchObject({
      response: { message: ['password must be at most 72 bytes (UTF-8)'] },
    });
    const first = await users.ensureUser('bob', 'bob-password', false);
    const second = await users.ensureUser('bob', 'other-password', true);
    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.user).toEqual(first.user);
    expect(await users.checkPassword('bob', 'bob-password')).toMatchObject({ username: 'bob' });
    expect(await users.checkPassword('bob', 'other-password')).toBeNull();
  });
});
