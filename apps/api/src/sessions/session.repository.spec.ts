import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSession, transition } from '@vizportal/session-domain';
import { DataSource } from 'typeorm';
import { CreateSessions1764310000000 } from '../database/migrations/1764310000000-create-sessions';
import { SessionEntity } from './entities/session.entity';
import { TypeOrmSessionRepository } from './session.repository';

describe('TypeOrmSessionRepository on a real SQLite file', () => {
  let dir: string;
  let dataSource: DataSource;
  let repository: TypeOrmSessionRepository;
  const now = new Date('2026-11-28T10:00:00Z');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vizportal-repo-'));
    dataSource = new DataSource({
      type: 'sqlite',
      database: join(dir, 'test.sqlite'),
      entities: [SessionEntity],
      migrations: [CreateSessions1764310000000],
      migrationsRun: true,
    });
    await dataSource.initialize();
    repository = new TypeOrmSessionRepository(dataSource.getRepository(SessionEntity));
  });

  afterEach(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const newSession = (id: string, owner = 'alice', at = now) =>
    createSession({ id, owner, appId: 'desktop', appTitle: 'Desktop', values: { cpus: 2, gpu: false }, submitToken: `tok-${id}`, now: at });

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
    session = transition(session, { kind: 'readiness', at: new Date('2026-11-28T10:00:06Z'), port: 5901, display: 1 }).session;
    expect(session.state).toBe('running');
    await repository.save(session);
    expect(await repository.findById('s1')).toEqual(session);
  });

  it('lists by owner newest first, and only live sessions for the poller', async () => {
    await repository.save(newSession('old', 'alice', new Date('2026-11-28T09:00:00Z')));
    await repository.save(newSession('new', 'alice', new Date('2026-11-28T11:00:00Z')));
    await repository.save(newSession('bobs', 'bob'));
    const ended = transition(newSession('ended', 'alice'), { kind: 'submit-rejected', at: now, message: 'invalid partition' });
    await repository.save(ended.session);
    expect((await repository.findByOwner('alice')).map((s) => s.id)).toEqual(['new', 'ended', 'old']);
    expect((await repository.findLive()).map((s) => s.id).sort()).toEqual(['bobs', 'new', 'old']);
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
