// A user's quota use: quotaUsage and quotaWindowStart on their own, then the repository's side on a
// real SQLite file built by every migration: insertWithinQuota must keep a read-check-insert whole
// per owner (twenty launches at once may not all see "under the limit"), and findQuotaRecords must
// return exactly the sessions the quotas count.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESSION_HOURS_WINDOW_DAYS, sessionHoursUsed } from '@vizportal/site-policy';
import { type Session, type SessionState, createSession, transition } from '@vizportal/session-domain';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../database/migrations';
import { SessionEntity } from './entities/session.entity';
import { type QuotaRecord, quotaUsage, quotaWindowStart } from './session-quota';
import { TypeOrmSessionRepository } from './session.repository';

const now = new Date('2026-12-03T12:00:00Z');
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);
const days = (d: number) => new Date(now.getTime() + d * 86_400_000);

describe('quotaWindowStart', () => {
  it(`is ${SESSION_HOURS_WINDOW_DAYS} days before now`, () => {
    expect(SESSION_HOURS_WINDOW_DAYS).toBe(7);
    expect(quotaWindowStart(now)).toEqual(new Date('2026-11-26T12:00:00Z'));
  });
});

describe('quotaUsage', () => {
  const record = (overrides: Partial<QuotaRecord>): QuotaRecord => ({
    live: true,
    cpus: null,
    gpus: null,
    startedAt: null,
    endedAt: null,
    timeLimitMinutes: null,
    ...overrides,
  });

  it('is zero for no sessions', () => {
    expect(quotaUsage([], now)).toEqual({ liveSessions: 0, cpus: 0, gpus: 0, sessionHours: 0 });
  });

  it('counts live sessions and sums the CPUs and GPUs of live ones only, a null counting as none', () => {
    const records = [
      record({ cpus: 4, gpus: 1 }),
      record({ cpus: 2, gpus: null }),
      record({ cpus: null, gpus: null }), // from before holds were recorded
      record({ live: false, cpus: 16, gpus: 4, startedAt: hours(-3), endedAt: hours(-2) }),
    ];
    expect(quotaUsage(records, now)).toMatchObject({ liveSessions: 3, cpus: 6, gpus: 1 });
  });

  it('takes session-hours from sessionHoursUsed over all the records, live and ended', () => {
    const records = [
      // Running for 1 h of a 4 h limit: holds all 4 h.
      record({ startedAt: hours(-1), timeLimitMinutes: 240, cpus: 2 }),
      // Queued with a 2 h limit: holds 2 h.
      record({ timeLimitMinutes: 120 }),
      // Ended after 3 h inside the window.
      record({ live: false, startedAt: hours(-10), endedAt: hours(-7), timeLimitMinutes: 600 }),
    ];
    const usage = quotaUsage(records, now);
    expect(usage.sessionHours).toBeCloseTo(9, 9);
    expect(usage.sessionHours).toBe(sessionHoursUsed(records, now));
  });
});

describe('TypeOrmSessionRepository quotas on a real SQLite file', () => {
  let dir: string;
  let dataSource: DataSource;
  let repository: TypeOrmSessionRepository;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vizportal-quota-'));
    // As the API opens it (database.module.ts): WAL and a busy timeout, every migration run.
    dataSource = new DataSource({
      type: 'sqlite',
      database: join(dir, 'test.sqlite'),
      enableWAL: true,
      busyTimeout: 5000,
      entities: [SessionEntity],
      migrations: MIGRATIONS,
      migrationsRun: true,
    });
    await dataSource.initialize();
    repository = new TypeOrmSessionRepository(dataSource.getRepository(SessionEntity), dataSource);
  });

  afterEach(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  let serial = 0;
  const newSession = (owner: string, overrides: Partial<Session> = {}): Session => {
    serial += 1;
    const id = `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`;
    return {
      ...createSession({
        id,
        owner,
        appId: 'desktop',
        appTitle: 'Desktop',
        values: { cpus: 2 },
        submitToken: `tok-${id}`,
        timeLimitMinutes: 60,
        now: hours(-1),
      }),
      ...overrides,
    };
  };
  const endedAt = (owner: string, at: Date, state: SessionState = 'completed') =>
    newSession(owner, {
      state,
      startedAt: new Date(at.getTime() - 3_600_000),
      endedAt: at,
      endReason: 'app-exited',
    });

  /** Refuses, like a liveSessions limit of 2 would. */
  const atMostTwoLive = (records: QuotaRecord[]) => {
    if (records.filter((r) => r.live).length >= 2) throw new Error('quota: 2 live sessions');
  };

  it('has nullable integer cpus and gpus columns after the migrations', async () => {
    const columns = await dataSource.query<Array<{ name: string; type: string; notnull: number }>>(
      'PRAGMA table_info(sessions)',
    );
    const holds = columns.filter((column) => column.name === 'cpus' || column.name === 'gpus');
    expect(
      holds.map((column) => [column.name, column.type.toLowerCase().startsWith('int'), column.notnull]),
    ).toEqual([
      ['cpus', true, 0],
      ['gpus', true, 0],
    ]);
  });

  it('the migrations match the entity: TypeORM sees no pending change to the sessions table', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('stores exactly two of twenty concurrent launches of one owner, and refuses the other eighteen', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        repository.insertWithinQuota(newSession('alice'), { cpus: 2, gpus: 0 }, atMostTwoLive, now),
      ),
    );
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(rejected).toHaveLength(18);
    // Refused by the check itself, not by a database error.
    for (const r of rejected) expect((r.reason as Error).message).toBe('quota: 2 live sessions');
    expect(await dataSource.getRepository(SessionEntity).countBy({ owner: 'alice' })).toBe(2);
  });

  it('does not let one owner at their limit block another, even while both launch at once', async () => {
    await repository.insertWithinQuota(newSession('alice'), { cpus: 1, gpus: 0 }, atMostTwoLive, now);
    await repository.insertWithinQuota(newSession('alice'), { cpus: 1, gpus: 0 }, atMostTwoLive, now);
    const seenByBob: QuotaRecord[][] = [];
    const launches = [
      ...Array.from({ length: 5 }, () =>
        repository.insertWithinQuota(newSession('alice'), { cpus: 1, gpus: 0 }, atMostTwoLive, now),
      ),
      repository.insertWithinQuota(
        newSession('bob'),
        { cpus: 1, gpus: 0 },
        (records) => {
          seenByBob.push(records);
          atMostTwoLive(records);
        },
        now,
      ),
    ];
    const results = await Promise.allSettled(launches);
    expect(results.map((r) => r.status)).toEqual([...Array(5).fill('rejected'), 'fulfilled']);
    // Bob's check saw none of alice's sessions.
    expect(seenByBob).toEqual([[]]);
    const rows = dataSource.getRepository(SessionEntity);
    expect([await rows.countBy({ owner: 'alice' }), await rows.countBy({ owner: 'bob' })]).toEqual([2, 1]);
  });

  it('counts an ended session no more: a launch refused at the limit fits once one has ended', async () => {
    const first = newSession('alice');
    await repository.insertWithinQuota(first, { cpus: 1, gpus: 0 }, atMostTwoLive, now);
    await repository.insertWithinQuota(newSession('alice'), { cpus: 1, gpus: 0 }, atMostTwoLive, now);
    await expect(
      repository.insertWithinQuota(newSession('alice'), { cpus: 1, gpus: 0 }, atMostTwoLive, now),
    ).rejects.toThrow('quota: 2 live sessions');
    await repository.save(transition(first, { kind: 'submit-rejected', at: now, message: 'no' }).session);
    await expect(
      repository.insertWithinQuota(newSession('alice'), { cpus: 1, gpus: 0 }, atMostTwoLive, now),
    ).resolves.toBeUndefined();
  });

  it('stores the CPUs and GPUs a session holds, and saving the session later keeps them', async () => {
    const session = newSession('alice');
    await repository.insertWithinQuota(session, { cpus: 8, gpus: 2 }, () => undefined, now);
    const [raw] = await dataSource.query<Array<{ cpus: number; gpus: number }>>(
      'SELECT cpus, gpus FROM sessions WHERE id = ?',
      [session.id],
    );
    expect(raw).toEqual({ cpus: 8, gpus: 2 });
    // The poller saves sessions as they change; a save must not reset what they hold.
    await repository.save(transition(session, { kind: 'submitted', at: now, jobId: '42' }).session);
    expect(await repository.findQuotaRecords('alice', now)).toEqual([
      { live: true, cpus: 8, gpus: 2, startedAt: null, endedAt: null, timeLimitMinutes: 60 },
    ]);
    expect(quotaUsage(await repository.findQuotaRecords('alice', now), now)).toMatchObject({
      liveSessions: 1,
      cpus: 8,
      gpus: 2,
    });
  });

  it('finds the live sessions and those ended inside the window, not older ones nor other owners', async () => {
    const windowStart = quotaWindowStart(now);
    const sessions = {
      submitting: newSession('alice'),
      queued: newSession('alice', { state: 'queued', jobId: '1' }),
      running: newSession('alice', { state: 'running', jobId: '2', startedAt: hours(-1) }),
      endedToday: endedAt('alice', hours(-2)),
      endedSixDaysAgo: endedAt('alice', days(-6), 'failed'),
      endedAtWindowStart: endedAt('alice', windowStart, 'cancelled'),
      endedJustBefore: endedAt('alice', new Date(windowStart.getTime() - 1), 'timed_out'),
      endedLongAgo: endedAt('alice', days(-30)),
      bobs: newSession('bob', { state: 'running', startedAt: hours(-1) }),
    };
    const holds: Record<string, number> = {
      submitting: 1,
      queued: 2,
      running: 4,
      endedToday: 8,
      endedSixDaysAgo: 16,
    };
    for (const [name, session] of Object.entries(sessions))
      await repository.insertWithinQuota(
        session,
        { cpus: holds[name] ?? 100, gpus: 0 },
        () => undefined,
        now,
      );

    const records = await repository.findQuotaRecords('alice', now);
    const byCpus = [...records].sort((a, b) => (a.cpus ?? 0) - (b.cpus ?? 0));
    expect(byCpus.map((r) => [r.cpus, r.live])).toEqual([
      [1, true],
      [2, true],
      [4, true],
      [8, false],
      [16, false],
      [100, false], // ended exactly at the window's start: still inside it
    ]);
    expect(byCpus[2]).toEqual({
      live: true,
      cpus: 4,
      gpus: 0,
      startedAt: hours(-1),
      endedAt: null,
      timeLimitMinutes: 60,
    });
    expect(byCpus[3].endedAt).toEqual(hours(-2));
    // Only live sessions hold CPUs, however many ended ones are in the window.
    expect(quotaUsage(records, now)).toMatchObject({ liveSessions: 3, cpus: 7 });
  });

  it('finds an ended session from before holds were recorded, holding none', async () => {
    // save() stores no holds: as a row written before the RecordSessionHolds migration.
    await repository.save(endedAt('alice', hours(-1)));
    const records = await repository.findQuotaRecords('alice', now);
    expect(records).toEqual([
      { live: false, cpus: null, gpus: null, startedAt: hours(-2), endedAt: hours(-1), timeLimitMinutes: 60 },
    ]);
    expect(quotaUsage(records, now)).toEqual({ liveSessions: 0, cpus: 0, gpus: 0, sessionHours: 1 });
  });
});
