// The audit trail's store: withoutSecrets on its own, then AuditService on a real SQLite file built
// by the audit migration, since its paging and pruning are SQL over Date columns (how SQLite
// compares the stored text is what decides whether a page overlaps or skips an event).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { CreateAuditEvents1764340000002 } from '../database/migrations/1764340000002-create-audit-events';
import { AuditService, withoutSecrets } from './audit.service';
import { AuditEventEntity } from './entities/audit-event.entity';

describe('withoutSecrets', () => {
  it('drops password, token, secret, cookie and hash keys, whatever their case or prefix', () => {
    expect(
      withoutSecrets({
        password: 'p',
        vncPassword: 'v',
        token: 't',
        submitToken: 's',
        clientSecret: 'c',
        cookie: 'k',
        Cookie: 'K',
        passwordHash: 'h',
        readinessSecretHash: 'r',
        Authorization: 'Bearer x',
        appId: 'desktop',
        username: 'alice',
      }),
    ).toEqual({ appId: 'desktop', username: 'alice' });
  });

  it('drops them at any depth and inside arrays, keeping everything else as it was', () => {
    const at = new Date('2026-12-03T14:05:00Z');
    const input = {
      values: { cpus: 2, title: 'my desktop', nested: { token: 't', keep: [1, 'two', null] } },
      list: [{ password: 'p', name: 'a' }, [{ cookie: 'c', ok: true }], 'plain', 3],
      at,
      none: null,
    };
    const output = withoutSecrets(input) as typeof input;
    expect(output).toEqual({
      values: { cpus: 2, title: 'my desktop', nested: { keep: [1, 'two', null] } },
      list: [{ name: 'a' }, [{ ok: true }], 'plain', 3],
      at,
      none: null,
    });
    // A Date is a value, not an object to walk.
    expect(output.at).toBeInstanceOf(Date);
    // The caller's object is left alone.
    expect(input.values.nested.token).toBe('t');
    expect(input.list[0]).toEqual({ password: 'p', name: 'a' });
  });

  it('passes values that are not objects through', () => {
    expect(withoutSecrets('password')).toBe('password');
    expect(withoutSecrets(42)).toBe(42);
    expect(withoutSecrets(null)).toBeNull();
    expect(withoutSecrets(undefined)).toBeUndefined();
  });
});

describe('AuditService on a real SQLite file', () => {
  const RETENTION_DAYS = 30;
  const config = {
    get: (key: string) => ({ AUDIT_RETENTION_DAYS: RETENTION_DAYS })[key],
  } as unknown as ConfigService<AppConfig, true>;
  const now = new Date('2026-12-03T12:00:00Z');
  const minute = (m: number) => new Date(now.getTime() + m * 60_000);
  const day = (d: number) => new Date(now.getTime() + d * 86_400_000);

  let dir: string;
  let dataSource: DataSource;
  let audit: AuditService;
  let logged: unknown[];
  let errors: unknown[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vizportal-audit-'));
    dataSource = new DataSource({
      type: 'sqlite',
      database: join(dir, 'test.sqlite'),
      entities: [AuditEventEntity],
      migrations: [CreateAuditEvents1764340000002],
      migrationsRun: true,
    });
    await dataSource.initialize();
    audit = new AuditService(dataSource.getRepository(AuditEventEntity), config);
    // Each event is also a log line: keep them, to check what reaches the log, and keep the output quiet.
    logged = [];
    errors = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => void logged.push(message));
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void errors.push(message));
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    if (dataSource.isInitialized) await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const all = async () => (await audit.page({ limit: 1000 })).events;

  it('the migration matches the entity: TypeORM sees no pending schema change', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('records an event as a row, with its defaults', async () => {
    await audit.record({ actor: 'alice', action: 'login' }, now);
    const [row] = await all();
    expect(row).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      at: now,
      actor: 'alice',
      action: 'login',
      outcome: 'ok',
      address: null,
      sessionId: null,
      subject: null,
      details: {},
    });
    expect(await audit.findById(row.id)).toEqual(row);
  });

  it('never stores nor logs a secret given in details, and keeps the rest of them', async () => {
    await audit.record(
      {
        actor: 'alice',
        action: 'session.connect',
        outcome: 'refused',
        address: '192.0.2.10',
        sessionId: '11111111-1111-4111-8111-111111111111',
        subject: 'bob',
        details: { appId: 'desktop', vncPassword: 'hunter22', nested: [{ token: 'abc123', port: 5901 }] },
      },
      now,
    );
    const [row] = await all();
    expect(row).toMatchObject({
      outcome: 'refused',
      address: '192.0.2.10',
      sessionId: '11111111-1111-4111-8111-111111111111',
      subject: 'bob',
      details: { appId: 'desktop', nested: [{ port: 5901 }] },
    });
    // Read the stored text itself, not the entity: the secret must not be in the file at all.
    const [raw] = await dataSource.query<Array<{ details: string }>>('SELECT details FROM audit_events');
    expect(raw.details).not.toMatch(/hunter22|abc123|vncPassword|token/);
    expect(JSON.stringify(logged)).not.toMatch(/hunter22|abc123/);
    expect(JSON.stringify(logged)).toContain('session.connect');
  });

  it('cuts an overlong actor and address to the column width', async () => {
    await audit.record({ actor: 'a'.repeat(100), action: 'login', address: '1'.repeat(80) }, now);
    const [row] = await all();
    expect(row.actor).toBe('a'.repeat(64));
    expect(row.address).toBe('1'.repeat(64));
  });

  it('does not throw when the row cannot be stored: it logs an error and the action stands', async () => {
    await dataSource.query('DROP TABLE audit_events');
    await expect(audit.record({ actor: 'alice', action: 'logout' }, now)).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/Could not store the audit event .* \(logout by alice\)/);
  });

  it('filters by actor, action, session, and a from (inclusive) to (exclusive) time range', async () => {
    const s1 = '11111111-1111-4111-8111-111111111111';
    const s2 = '22222222-2222-4222-8222-222222222222';
    await audit.record({ actor: 'alice', action: 'login' }, minute(0));
    await audit.record(
      { actor: 'alice', action: 'session.launch', sessionId: s1, details: { n: 1 } },
      minute(1),
    );
    await audit.record(
      { actor: 'bob', action: 'session.launch', sessionId: s2, details: { n: 2 } },
      minute(2),
    );
    await audit.record({ actor: 'alice', action: 'session.stop', sessionId: s1 }, minute(3));
    await audit.record({ actor: 'bob', action: 'logout' }, minute(4));
    const actions = async (filter: Parameters<AuditService['page']>[0]) =>
      (await audit.page(filter)).events.map((event) => `${event.actor} ${event.action}`);

    expect(await actions({ user: 'alice', limit: 100 })).toEqual([
      'alice session.stop',
      'alice session.launch',
      'alice login',
    ]);
    expect(await actions({ action: 'session.launch', limit: 100 })).toEqual([
      'bob session.launch',
      'alice session.launch',
    ]);
    expect(await actions({ sessionId: s1, limit: 100 })).toEqual([
      'alice session.stop',
      'alice session.launch',
    ]);
    expect(await actions({ from: minute(1), to: minute(3), limit: 100 })).toEqual([
      'bob session.launch',
      'alice session.launch',
    ]);
    expect(await actions({ user: 'bob', action: 'session.launch', sessionId: s2, limit: 100 })).toEqual([
      'bob session.launch',
    ]);
    expect(await actions({ user: 'carol', limit: 100 })).toEqual([]);
    // A time between two events: from excludes the earlier, to the later.
    expect(await actions({ from: new Date(minute(3).getTime() - 1), limit: 100 })).toEqual([
      'bob logout',
      'alice session.stop',
    ]);
    expect(await actions({ to: new Date(minute(1).getTime() + 1), limit: 100 })).toEqual([
      'alice session.launch',
      'alice login',
    ]);
  });

  it('pages 25 events newest first with `before`, without overlap or gap, across events that share a time', async () => {
    // Four events a minute (the last minute has one): the page boundaries fall inside a shared
    // time, where only the id tells the events apart.
    for (let i = 0; i < 25; i += 1)
      await audit.record(
        { actor: 'alice', action: 'session.launch', details: { n: i } },
        minute(Math.floor(i / 4)),
      );
    const stored = await dataSource.getRepository(AuditEventEntity).find();
    const expected = stored
      .sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((event) => event.id);

    const pages: Array<{ ids: string[]; more: boolean }> = [];
    let before: { at: Date; id: string } | undefined;
    for (;;) {
      const page = await audit.page({ limit: 10, before });
      pages.push({ ids: page.events.map((event) => event.id), more: page.more });
      if (!page.more) break;
      const last = page.events[page.events.length - 1];
      before = { at: last.at, id: last.id };
      expect(pages.length).toBeLessThan(5);
    }
    expect(pages.map((page) => [page.ids.length, page.more])).toEqual([
      [10, true],
      [10, true],
      [5, false],
    ]);
    expect(pages.flatMap((page) => page.ids)).toEqual(expected);
    expect(new Set(expected).size).toBe(25);
    // Newest first: the n=24 event (the only one of the last minute) leads.
    expect((await audit.page({ limit: 1 })).events[0].details).toEqual({ n: 24 });
  });

  it("finds a user's events as actor and as subject, and filters by outcome", async () => {
    await audit.record({ actor: 'alice', action: 'login', outcome: 'refused' }, minute(0));
    await audit.record({ actor: 'root', action: 'user.update', subject: 'alice' }, minute(1));
    await audit.record({ actor: 'root', action: 'session.stop', subject: 'bob' }, minute(2));
    await audit.record({ actor: 'alice', action: 'login' }, minute(3));
    const actions = async (filter: Parameters<AuditService['page']>[0]) =>
      (await audit.page(filter)).events.map((event) => `${event.actor} ${event.action} ${event.outcome}`);

    expect(await actions({ user: 'alice', limit: 100 })).toEqual([
      'alice login ok',
      'root user.update ok',
      'alice login refused',
    ]);
    expect(await actions({ outcome: 'refused', limit: 100 })).toEqual(['alice login refused']);
    expect(await actions({ user: 'root', outcome: 'ok', limit: 100 })).toEqual([
      'root session.stop ok',
      'root user.update ok',
    ]);
  });

  it('pages within a filter too', async () => {
    for (let i = 0; i < 6; i += 1) {
      await audit.record({ actor: 'alice', action: 'login', details: { n: i } }, minute(i));
      await audit.record({ actor: 'bob', action: 'login', details: { n: i } }, minute(i));
    }
    const first = await audit.page({ user: 'bob', limit: 4 });
    const last = first.events[3];
    const second = await audit.page({ user: 'bob', limit: 4, before: { at: last.at, id: last.id } });
    expect([...first.events, ...second.events].map((event) => [event.actor, event.details.n])).toEqual(
      [5, 4, 3, 2, 1, 0].map((n) => ['bob', n]),
    );
    expect([first.more, second.more]).toEqual([true, false]);
  });

  it(`prunes only events older than the retention (${RETENTION_DAYS} days)`, async () => {
    const cutoff = day(-RETENTION_DAYS);
    await audit.record({ actor: 'old', action: 'login' }, day(-400));
    await audit.record({ actor: 'just-older', action: 'login' }, new Date(cutoff.getTime() - 1));
    await audit.record({ actor: 'at-cutoff', action: 'login' }, cutoff);
    await audit.record({ actor: 'recent', action: 'login' }, day(-1));
    await audit.record({ actor: 'now', action: 'login' }, now);

    expect(await audit.prune(now)).toBe(2);
    expect((await all()).map((event) => event.actor)).toEqual(['now', 'recent', 'at-cutoff']);
    // Nothing more to prune: a second run removes nothing.
    expect(await audit.prune(now)).toBe(0);
    expect(await all()).toHaveLength(3);
  });
});
