// Persistence of sessions behind a port: the service speaks domain Sessions, this maps them to rows.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  type EndReason,
  type Session,
  type SessionState,
  isEndReason,
  LIVE_SESSION_STATES,
} from '@vizportal/session-domain';
import { Mutex } from 'async-mutex';
import { DataSource, type EntityManager, In, MoreThanOrEqual, Repository } from 'typeorm';
import { type QuotaRecord, quotaWindowStart } from './session-quota';
import { SessionEntity } from './entities/session.entity';
import type { SessionCursor } from './session-cursor';

export interface EndedSessionsPage {
  /** null: everyone's (admins). */
  owner: string | null;
  limit: number;
  before: SessionCursor | null;
}

/** What a new session holds against the owner's quotas. */
export interface SessionHolds {
  cpus: number;
  gpus: number;
}

export abstract class SessionRepository {
  abstract save(session: Session): Promise<void>;
  /**
   * Inserts a new session if `check` (given the owner's sessions that count for quotas) does not
   * throw; no other insertWithinQuota of the same owner runs between the read and the insert.
   */
  abstract insertWithinQuota(
    session: Session,
    holds: SessionHolds,
    check: (records: QuotaRecord[]) => void,
    now?: Date,
  ): Promise<void>;
  /** The owner's sessions that count for quotas now: live, or ended inside the window. */
  abstract findQuotaRecords(owner: string, now: Date): Promise<QuotaRecord[]>;
  abstract findById(id: string): Promise<Session | null>;
  /** Live sessions, in no particular order: the poller watches all of them; GET /api/sessions lists an owner's (null: everyone's). */
  abstract findLive(owner?: string | null): Promise<Session[]>;
  /** One page of ended sessions, newest first (createdAt, then id), strictly older than `before`. */
  abstract findEnded(page: EndedSessionsPage): Promise<Session[]>;
  abstract remove(id: string): Promise<void>;
  /** Sessions per state from one grouped query (the metrics gauge, at scrape time). */
  abstract countByState(): Promise<Partial<Record<SessionState, number>>>;
  /** Stores the hash of the job's one-time readiness secret. */
  abstract setReadinessSecretHash(id: string, hash: string): Promise<void>;
  /** Atomically consumes the secret: true once for the matching hash, false ever after. */
  abstract consumeReadinessSecretHash(id: string, hash: string): Promise<boolean>;
  abstract setVncPassword(id: string, password: string): Promise<void>;
  abstract findVncPassword(id: string): Promise<string | null>;
}

@Injectable()
export class TypeOrmSessionRepository extends SessionRepository {
  /** Per owner: on SQLite, what keeps a read-check-insert whole (see insertWithinQuota). */
  private readonly ownerLocks = new Map<string, { mutex: Mutex; users: number }>();

  constructor(
    @InjectRepository(SessionEntity) private readonly rows: Repository<SessionEntity>,
    private readonly dataSource: DataSource,
  ) {
    super();
  }

  async save(session: Session): Promise<void> {
    await this.rows.save(toEntity(session));
  }

  async insertWithinQuota(
    session: Session,
    holds: SessionHolds,
    check: (records: QuotaRecord[]) => void,
    now = new Date(),
  ): Promise<void> {
    const row = Object.assign(toEntity(session), holds);
    if (this.dataSource.options.type === 'postgres') {
      // Several API instances: one transaction, serialised per owner by an advisory lock held to its commit.
      await this.dataSource.transaction(async (manager) => {
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `vizportal-quota:${session.owner}`,
        ]);
        check(await this.quotaRecords(manager, session.owner, now));
        await manager.insert(SessionEntity, row);
      });
      return;
    }
    // SQLite: one API instance on one connection, on which TypeORM's transactions do not isolate
    // concurrent callers (their statements share the open BEGIN). So the read and the insert are
    // kept together by a per-owner lock in this process instead; the insert is a single statement.
    await this.withOwnerLock(session.owner, async () => {
      check(await this.quotaRecords(this.rows.manager, session.owner, now));
      await this.rows.insert(row);
    });
  }

  findQuotaRecords(owner: string, now: Date): Promise<QuotaRecord[]> {
    return this.quotaRecords(this.rows.manager, owner, now);
  }

  private async quotaRecords(manager: EntityManager, owner: string, now: Date): Promise<QuotaRecord[]> {
    const select = {
      state: true,
      cpus: true,
      gpus: true,
      startedAt: true,
      endedAt: true,
      timeLimitMinutes: true,
    } as const;
    const rows = await manager.find(SessionEntity, {
      select,
      where: [
        { owner, state: In([...LIVE_SESSION_STATES]) },
        { owner, endedAt: MoreThanOrEqual(quotaWindowStart(now)) },
      ],
    });
    return rows.map((row) => ({
      live: (LIVE_SESSION_STATES as readonly string[]).includes(row.state),
      cpus: row.cpus,
      gpus: row.gpus,
      startedAt: row.startedAt,
      endedAt: row.endedAt,
      timeLimitMinutes: row.timeLimitMinutes,
    }));
  }

  private async withOwnerLock<T>(owner: string, work: () => Promise<T>): Promise<T> {
    const entry = this.ownerLocks.get(owner) ?? { mutex: new Mutex(), users: 0 };
    this.ownerLocks.set(owner, entry);
    entry.users += 1;
    try {
      return await entry.mutex.runExclusive(work);
    } finally {
      entry.users -= 1;
      if (entry.users === 0) this.ownerLocks.delete(owner);
    }
  }

  async findById(id: string): Promise<Session | null> {
    const row = await this.rows.findOneBy({ id });
    return row ? toSession(row) : null;
  }

  async findLive(owner: string | null = null): Promise<Session[]> {
    // No ORDER BY: with one, SQLite would walk all of the owner's rows in IDX_sessions_owner_createdAt
    // rather than seek their few live ones in IDX_sessions_state_owner. The caller orders them.
    const where = { state: In([...LIVE_SESSION_STATES]), ...(owner === null ? {} : { owner }) };
    return (await this.rows.find({ where })).map(toSession);
  }

  async findEnded({ owner, limit, before }: EndedSessionsPage): Promise<Session[]> {
    // Walks IDX_sessions_owner_createdAt (admins: IDX_sessions_createdAt) backwards from the cursor
    // and stops after `limit` ended rows: the few live rows met on the way are skipped, nothing is
    // sorted. "Not live" rather than "IN (ended states)": SQLite would take the latter to
    // IDX_sessions_state and then sort every ended row.
    const query = this.rows
      .createQueryBuilder('session')
      .where('session.state NOT IN (:...live)', { live: [...LIVE_SESSION_STATES] })
      .orderBy('session.createdAt', 'DESC')
      .addOrderBy('session.id', 'DESC')
      .limit(limit);
    if (owner !== null) query.andWhere('session.owner = :owner', { owner });
    if (before) {
      // The first term alone bounds the index range (the OR would not, on SQLite); the second breaks ties.
      query
        .andWhere('session.createdAt <= :beforeAt', { beforeAt: before.createdAt })
        .andWhere('(session.createdAt < :beforeAt OR session.id < :beforeId)', { beforeId: before.id });
    }
    return (await query.getMany()).map(toSession);
  }

  async countByState(): Promise<Partial<Record<SessionState, number>>> {
    const grouped = await this.rows
      .createQueryBuilder('session')
      .select('session.state', 'state')
      .addSelect('COUNT(*)', 'count')
      .groupBy('session.state')
      .getRawMany<{ state: SessionState; count: string | number }>();
    return Object.fromEntries(grouped.map(({ state, count }) => [state, Number(count)]));
  }

  async remove(id: string): Promise<void> {
    await this.rows.delete({ id });
  }

  async setReadinessSecretHash(id: string, hash: string): Promise<void> {
    await this.rows.update({ id }, { readinessSecretHash: hash });
  }

  async consumeReadinessSecretHash(id: string, hash: string): Promise<boolean> {
    // One conditional UPDATE: of two reports racing with the same secret, exactly one wins.
    const result = await this.rows.update({ id, readinessSecretHash: hash }, { readinessSecretHash: null });
    return (result.affected ?? 0) === 1;
  }

  async setVncPassword(id: string, password: string): Promise<void> {
    await this.rows.update({ id }, { vncPassword: password });
  }

  async findVncPassword(id: string): Promise<string | null> {
    const row = await this.rows.findOne({ where: { id }, select: { id: true, vncPassword: true } });
    return row?.vncPassword ?? null;
  }
}

function toEntity(session: Session): SessionEntity {
  const row = new SessionEntity();
  row.id = session.id;
  row.owner = session.owner;
  row.appId = session.appId;
  row.appTitle = session.appTitle;
  row.values = session.values;
  row.state = session.state;
  row.jobId = session.jobId;
  row.submitToken = session.submitToken;
  row.slurmState = session.slurm?.state ?? null;
  row.slurmFlags = session.slurm?.flags ?? null;
  row.slurmReason = session.slurm?.reason ?? null;
  row.node = session.node;
  row.expectedStartAt = session.expectedStartAt;
  row.startedAt = session.startedAt;
  row.endedAt = session.endedAt;
  row.readyAt = session.readyAt;
  row.createdAt = session.createdAt;
  row.updatedAt = session.updatedAt;
  row.timeLimitMinutes = session.timeLimitMinutes;
  row.extendedMinutes = session.extendedMinutes;
  row.exitCode = session.exitCode;
  row.endReason = session.endReason;
  row.message = session.message;
  row.endpointPort = session.endpoint?.port ?? null;
  row.endpointDisplay = session.endpoint?.display ?? null;
  row.notListedSince = session.notListedSince;
  row.lastViewedAt = session.lastViewedAt;
  row.lastInputAt = session.lastInputAt;
  row.keptAt = session.keptAt;
  row.idleStopAt = session.idleWarning?.stopAt ?? null;
  row.idleStopReason = session.idleWarning?.reason ?? null;
  // readinessSecretHash and vncPassword are left undefined, so saving a session never touches them.
  return row;
}

function toSession(row: SessionEntity): Session {
  return {
    id: row.id,
    owner: row.owner,
    appId: row.appId,
    appTitle: row.appTitle,
    values: row.values,
    state: row.state as SessionState,
    jobId: row.jobId,
    submitToken: row.submitToken,
    slurm: row.slurmState
      ? { state: row.slurmState, flags: row.slurmFlags ?? [], reason: row.slurmReason }
      : null,
    node: row.node,
    expectedStartAt: row.expectedStartAt,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    readyAt: row.readyAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    timeLimitMinutes: row.timeLimitMinutes,
    extendedMinutes: row.extendedMinutes,
    exitCode: row.exitCode,
    endReason: isEndReason(row.endReason) ? (row.endReason as EndReason) : null,
    message: row.message,
    endpoint:
      row.endpointPort !== null && row.endpointDisplay !== null
        ? { port: row.endpointPort, display: row.endpointDisplay }
        : null,
    notListedSince: row.notListedSince,
    lastViewedAt: row.lastViewedAt,
    lastInputAt: row.lastInputAt,
    keptAt: row.keptAt,
    idleWarning:
      row.idleStopAt !== null && row.idleStopReason !== null
        ? { stopAt: row.idleStopAt, reason: row.idleStopReason }
        : null,
  };
}
