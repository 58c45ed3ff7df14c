// The same entities and migrations on PostgreSQL, through config alone (DATABASE_URL): the whole
// API starts on a fresh database, its schema is exactly what the entities describe, and a session
// round-trips. And the quota check holds there across API instances: twenty launches at once, through
// two separate connection pools (two API processes, as far as PostgreSQL can tell), store exactly two.
// tools/test.sh starts the server (tools/test-postgres.sh) and sets the URL.
import { randomBytes } from 'node:crypto';
import { createSession, transition } from '@vizportal/session-domain';
import { DataSource } from 'typeorm';
import { SessionEntity } from '../sessions/entities/session.entity';
import { SessionRepository, TypeOrmSessionRepository } from '../sessions/session.repository';
import type { QuotaRecord } from '../sessions/session-quota';
import { type ApiTestApp, createUsers, startApiTestApp } from '../../test/support/api-test-app';

const serverUrl = process.env.VIZPORTAL_TEST_POSTGRES_URL;

describe('the API on PostgreSQL', () => {
  const database = `vizportal_${randomBytes(4).toString('hex')}`;
  let admin: DataSource;
  let api: ApiTestApp;
  let databaseUrl: string;

  beforeAll(async () => {
    if (!serverUrl)
      throw new Error(
        'VIZPORTAL_TEST_POSTGRES_URL is not set: run tools/test.sh, or tools/test-postgres.sh and export its URL',
      );
    admin = await new DataSource({ type: 'postgres', url: serverUrl }).initialize();
    await admin.query(`CREATE DATABASE ${database}`);
    databaseUrl = serverUrl.replace(/\/[^/]*$/, `/${database}`);
    api = await startApiTestApp({ DATABASE_URL: databaseUrl });
  });

  afterAll(async () => {
    await api?.close();
    await admin?.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin?.destroy();
  });

  it('runs the migrations to exactly the schema the entities describe', async () => {
    const dataSource = api.app.get(DataSource);
    expect(dataSource.options.type).toBe('postgres');
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('serves logins and stores sessions', async () => {
    const cookies = await createUsers(api.baseUrl, ['alice']);
    expect((await fetch(`${api.baseUrl}/api/sessions`, { headers: { cookie: cookies.alice } })).status).toBe(
      200,
    );
    const repository = api.app.get(SessionRepository);
    const session = createSession({
      id: '4f9c1c1e-1111-4222-8333-444455556666',
      owner: 'alice',
      appId: 'desktop',
      appTitle: 'Desktop',
      values: { cpus: 2, gpu: false, title: 'x' },
      submitToken: 'abc',
      now: new Date('2026-11-28T10:00:00.123Z'),
    });
    await repository.save(session);
    expect(await repository.findById(session.id)).toEqual(session);
    await repository.setReadinessSecretHash(session.id, 'f'.repeat(64));
    expect(await repository.consumeReadinessSecretHash(session.id, 'f'.repeat(64))).toBe(true);
    expect(await repository.consumeReadinessSecretHash(session.id, 'f'.repeat(64))).toBe(false);
  });

  it('pages ended sessions from a cursor as on SQLite (createdAt to the millisecond, then id)', async () => {
    const repository = api.app.get(SessionRepository);
    const at = new Date('2026-11-28T09:00:00.456Z');
    for (const [id, ms] of [
      ['p1', 0],
      ['p2', 1],
      ['p3', 1],
      ['p4', 2],
    ] as const) {
      const made = createSession({
        id,
        owner: 'pat',
        appId: 'xterm',
        appTitle: 'Terminal',
        values: {},
        submitToken: `tok-${id}`,
        now: new Date(at.getTime() + ms),
      });
      await repository.save(transition(made, { kind: 'submit-rejected', at, message: 'no' }).session);
    }
    const first = await repository.findEnded({ owner: 'pat', limit: 2, before: null });
    expect(first.map((s) => s.id)).toEqual(['p4', 'p3']);
    const next = await repository.findEnded({
      owner: 'pat',
      limit: 2,
      before: { createdAt: first[1].createdAt, id: first[1].id },
    });
    expect(next.map((s) => s.id)).toEqual(['p2', 'p1']);
    expect((await repository.findLive('pat')).map((s) => s.id)).toEqual([]);
  });

  it('stores exactly two of twenty concurrent launches of one owner, split across two API instances', async () => {
    // A second instance's own pool on the same database: only PostgreSQL's lock can keep them apart.
    const other = await new DataSource({
      type: 'postgres',
      url: databaseUrl,
      entities: [SessionEntity],
    }).initialize();
    try {
      const instances = [
        api.app.get(SessionRepository),
        new TypeOrmSessionRepository(other.getRepository(SessionEntity), other),
      ];
      const atMostTwoLive = (records: QuotaRecord[]) => {
        if (records.filter((record) => record.live).length >= 2) throw new Error('quota: 2 live sessions');
      };
      const launches = Array.from({ length: 20 }, (_, index) =>
        instances[index % 2].insertWithinQuota(
          createSession({
            id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
            owner: 'quinn',
            appId: 'desktop',
            appTitle: 'Desktop',
            values: {},
            submitToken: `quota-${index}`,
            now: new Date(),
          }),
          { cpus: 1, gpus: 0 },
          atMostTwoLive,
        ),
      );
      const results = await Promise.allSettled(launches);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
      for (const r of refused) expect((r.reason as Error).message).toBe('quota: 2 live sessions');
      expect(await other.getRepository(SessionEntity).countBy({ owner: 'quinn' })).toBe(2);
    } finally {
      await other.destroy();
    }
  });
});
