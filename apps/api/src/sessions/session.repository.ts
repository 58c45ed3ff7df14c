// Persistence of sessions behind a port: the service speaks domain Sessions, this maps them to rows.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EndReason, type Session, type SessionState, isEndReason, LIVE_SESSION_STATES } from '@vizportal/session-domain';
import { In, Repository } from 'typeorm';
import { SessionEntity } from './entities/session.entity';

export abstract class SessionRepository {
  abstract save(session: Session): Promise<void>;
  abstract findById(id: string): Promise<Session | null>;
  /** Newest first. */
  abstract findByOwner(owner: string): Promise<Session[]>;
  /** Newest first; for admins. */
  abstract findAll(): Promise<Session[]>;
  /** Sessions the poller must watch. */
  abstract findLive(): Promise<Session[]>;
  abstract remove(id: string): Promise<void>;
  /** Stores the hash of the job's one-time readiness secret. */
  abstract setReadinessSecretHash(id: string, hash: string): Promise<void>;
  /** Atomically consumes the secret: true once for the matching hash, false ever after. */
  abstract consumeReadinessSecretHash(id: string, hash: string): Promise<boolean>;
  abstract setVncPassword(id: string, password: string): Promise<void>;
  abstract findVncPassword(id: string): Promise<string | null>;
}

@Injectable()
export class TypeOrmSessionRepository extends SessionRepository {
  constructor(@InjectRepository(SessionEntity) private readonly rows: Repository<SessionEntity>) {
    super();
  }

  async save(session: Session): Promise<void> {
    await this.rows.save(toEntity(session));
  }

  async findById(id: string): Promise<Session | null> {
    const row = await this.rows.findOneBy({ id });
    return row ? toSession(row) : null;
  }

  async findByOwner(owner: string): Promise<Session[]> {
    return (await this.rows.find({ where: { owner }, order: { createdAt: 'DESC' } })).map(toSession);
  }

  async findAll(): Promise<Session[]> {
    return (await this.rows.find({ order: { createdAt: 'DESC' } })).map(toSession);
  }

  async findLive(): Promise<Session[]> {
    return (await this.rows.find({ where: { state: In([...LIVE_SESSION_STATES]) } })).map(toSession);
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
  row.exitCode = session.exitCode;
  row.endReason = session.endReason;
  row.message = session.message;
  row.endpointPort = session.endpoint?.port ?? null;
  row.endpointDisplay = session.endpoint?.display ?? null;
  row.notListedSince = session.notListedSince;
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
    exitCode: row.exitCode,
    endReason: isEndReason(row.endReason) ? (row.endReason as EndReason) : null,
    message: row.message,
    endpoint:
      row.endpointPort !== null && row.endpointDisplay !== null
        ? { port: row.endpointPort, display: row.endpointDisplay }
        : null,
    notListedSince: row.notListedSince,
  };
}
