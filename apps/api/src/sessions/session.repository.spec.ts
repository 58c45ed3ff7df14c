import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Session, createSession, transition } from '@vizportal/session-domain';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { CreateSessions1764310000000 } from '../database/migrations/1764310000000-create-sessions';
import { IndexSessionsByCreatedAt1764330000000 } from '../database/migrations/1764330000000-index-sessions-by-created-at';
import { RecordSessionHolds1764340000001 } from '../database/migrations/1764340000001-record-session-holds';
import { RecordSessionExtensions1764350000000 } from '../database/migrations/1764350000000-record-session-extensions';
import { RecordSessionIdleness1764360000001 } from '../database/migrations/1764360000001-record-session-idleness';
import { SessionEntity } from './entities/session.entity';
import type { SessionCursor } from './session-cursor';
import { TypeOrmSessionRepository } from './session.repository';

describe('TypeOrmSessionRepository on a real SQLite file', () => {
  let dir: string;
  let dataSource: DataSource;
  let repository: TypeOrmSessionRepository;
  const now = new Date('2026-11-28T10:00:00Z');
  // Every SELECT the repository sends, with its parameters, for the query-plan test.
  const selects: Array<{ sql: string; parameters: unknown[] }> = [];
  const recorder: TypeOrmLogger = {
    logQuery: (sql, parameters) =>
      void (sql.startsWith('SELECT') && selects.push({ sql, parameters: parameters ?? [] })),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vizportal-repo-'));
    dataSource = new DataSource({
      type: 'sqlite',
      database: join(dir, 'test.sqlite'),
      entities: [SessionEntity],
      migrations: [
        CreateSessions1764310000000,
        IndexSessionsByCreatedAt1764330000000,
        RecordSessionHolds1764340000001,
        RecordSessionExtensions1764350000000,
        RecordSessionIdleness1764360000001,
      ],
      migrationsRun: true,
      logging: ['query'],
      logger: recorder,
    });
    selects.length = 0;
    await dataSource.initialize();
    repository = new TypeOrmSessionRepository(dataSource.getRepository(SessionEntity), dataSource);
  });

  afterEach(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const newSession = (id: string, owner = 'alice', at = now) =>
    createSession({
      id,
      owner,
      appId: 'desktop',
      appTitle: 'Desktop',
      values: { cpus: 2, gpu: false },
      submitToken: `tok-${id}`,
      now: at,
    });

  it('the migration matches the entity: TypeORM sees no pending schema change', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('round-trips a session with every field set', async () => {
    let session = newSession('s1');
    session = transition(session, { kind: 'submitted', at: now, jobId: '42' }).session;
    session = transition(session, {
      kind: 'slurm-job',
      at: new Date('2026-11-28T10:00:05Z'),
      state: { base: 'RUNNING', flags: [] },
      reason: 'None',
      node: 'viz01',
      expectedStartAt: null,
      startedAt: new Date('2026-11-28T10:00:03Z'),
      endedAt: null,
      timeLimitMinutes: 60,
      exitCode: null,
    }).session;
    session = transition(session, {
      kind: 'readiness',
      at: new Date('2026-11-28T10:00:06Z'),
      port: 5901,
      display: 1,
    }).session;
    session = transition(session, { kind: 'viewed', at: new Date('2026-11-28T10:01:00Z') }).session;
    session = transition(session, { kind: 'input', at: new Date('2026-11-28T10:02:00Z') }).session;
    session = transition(session, { kind: 'idle-kept', at: new Date('2026-11-28T10:03:00Z') }).session;
    session = transition(session, {
      kind: 'idle-warning',
      at: new Date('2026-11-28T12:00:00Z'),
      stopAt: new Date('2026-11-28T12:10:00Z'),
      reason: 'Stopped after 2 h without a connection.',
    }).session;
    expect(session.state).toBe('running');
    expect(session.idleWarning).not.toBeNull();
    await repository.save(session);
    expect(await repository.findById('s1')).toEqual(session);
  });

  const ended = (session: Session, at = now) =>
    transition(session, { kind: 'submit-rejected', at, message: 'invalid partition' }).session;
  const minute = (m: number) => new Date(now.getTime() + m * 60_000);

  it('lists live sessions, of one owner or of everyone', async () => {
    await repository.save(newSession('old', 'alice', minute(-60)));
    await repository.save(newSession('new', 'alice', minute(60)));
    await repository.save(newSession('bobs', 'bob'));
    await repository.save(ended(newSession('ended', 'alice')));
    expect((await repository.findLive('alice')).map((s) => s.id).sort()).toEqual(['new', 'old']);
    expect((await repository.findLive()).map((s) => s.id).sort()).toEqual(['bobs', 'new', 'old']);
  });

  it('pages ended sessions newest first by createdAt then id, from a cursor, skipping live ones and other owners', async () => {
    // e1…e5 ended a minute apart; e3a and e3b share e3's createdAt (the id breaks the tie); live ones in between.
    for (const [id, m] of [
      ['e1', 1],
      ['e2', 2],
      ['e3', 3],
      ['e3a', 3],
      ['e3b', 3],
      ['e4', 4],
      ['e5', 5],
    ] as const)
      await repository.save(ended(newSession(id, 'alice', minute(m))));
    await repository.save(newSession('live', 'alice', minute(3)));
    await repository.save(ended(newSession('bobs', 'bob', minute(4))));
    const ids = (sessions: Session[]) => sessions.map((s) => s.id);

    const first = await repository.findEnded({ owner: 'alice', limit: 3, before: null });
    expect(ids(first)).toEqual(['e5', 'e4', 'e3b']);
    const cursor = { createdAt: first[2].createdAt, id: first[2].id };
    expect(ids(await repository.findEnded({ owner: 'alice', limit: 3, before: cursor }))).toEqual([
      'e3a',
      'e3',
      'e2',
    ]);
    expect(
      ids(
        await repository.findEnded({ owner: 'alice', limit: 10, before: { createdAt: minute(2), id: 'e2' } }),
      ),
    ).toEqual(['e1']);
    expect(
      ids(
        await repository.findEnded({ owner: 'alice', limit: 10, before: { createdAt: minute(1), id: 'e1' } }),
      ),
    ).toEqual([]);
    // Admins: everyone's, in the same order.
    expect(ids(await repository.findEnded({ owner: null, limit: 4, before: null }))).toEqual([
      'e5',
      'e4',
      'bobs',
      'e3b',
    ]);
  });

  it('reads through the indices: a page of ended sessions with no sort of all rows, for an owner and for everyone; live ones by state', async () => {
    await repository.save(ended(newSession('e1', 'alice', minute(1))));
    const planOf = async (owner: string | null, before: SessionCursor | null) => {
      selects.length = 0;
      await repository.findEnded({ owner, limit: 20, before });
      expect(selects).toHaveLength(1);
      const rows: Array<{ detail: string }> = await dataSource.query(
        `EXPLAIN QUERY PLAN ${selects[0].sql}`,
        selects[0].parameters,
      );
      return rows.map((row) => row.detail).join('; ');
    };
    const cursor = { createdAt: minute(5), id: 'zzz' };
    const plans = {
      owner: await planOf('alice', null),
      ownerOlder: await planOf('alice', cursor),
      everyone: await planOf(null, null),
      everyoneOlder: await planOf(null, cursor),
    };
    expect(plans.owner).toMatch(/USING INDEX IDX_sessions_owner_createdAt \(owner=\?\)/);
    expect(plans.ownerOlder).toMatch(
      /USING INDEX IDX_sessions_owner_createdAt \(owner=\? AND createdAt<\?\)/,
    );
    expect(plans.everyone).toMatch(/USING INDEX IDX_sessions_createdAt/);
    expect(plans.everyoneOlder).toMatch(/USING INDEX IDX_sessions_createdAt \(createdAt<\?\)/);
    for (const plan of Object.values(plans)) expect(plan).not.toMatch(/TEMP B-TREE/);
    // A user's live sessions: among the live rows, not through their whole history.
    selects.length = 0;
    await repository.findLive('alice');
    const live: Array<{ detail: string }> = await dataSource.query(
      `EXPLAIN QUERY PLAN ${selects[0].sql}`,
      selects[0].parameters,
    );
    expect(live.map((row) => row.detail).join('; ')).toMatch(
      /USING INDEX IDX_sessions_state_owner \(state=\? AND owner=\?\)/,
    );
  });

  it('consumes a readiness secret exactly once, and saving the session keeps it', async () => {
    const session = newSession('s2');
    await repository.save(session);
    await repository.setReadinessSecretHash('s2', 'a'.repeat(64));
    await repository.save(session);
    expect(await repository.consumeReadinessSecretHash('s2', 'b'.repeat(64))).toBe(false);
    expect(await repository.consumeReadinessSecretHash('s2', 'a'.repeat(64))).toBe(true);
    expect(await repository.consumeReadinessSecretHash('s2', 'a'.repeat(64))).toBe(false);
  });

  it('removes a session', async () => {
    await repository.save(newSession('s3'));
    await repository.remove('s3');
    expect(await repository.findById('s3')).toBeNull();
  });
});
