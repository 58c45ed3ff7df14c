// The audit trail: who did what, when, from where, and what came of it. Each event is a row in
// audit_events and a JSON log line of its own (`"event":"audit"`) for a site's log shipper.
// Details are chosen by the caller field by field; as a last guard, any key that names a secret is
// dropped here, so a password, token or VNC password can never reach the table or the log.
import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Interval } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import type { AuditAction, AuditEventDto, AuditOutcome } from '@vizportal/site-policy';
import { LessThan, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { AppConfig } from '../config/app-config';
import { AuditEventEntity } from './entities/audit-event.entity';

export interface NewAuditEvent {
  actor: string;
  action: AuditAction;
  outcome?: AuditOutcome;
  address?: string | null;
  sessionId?: string | null;
  subject?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditFilter {
  /** Events of this user: done by them (actor) or to their session or account (subject). */
  user?: string;
  action?: AuditAction;
  outcome?: AuditOutcome;
  sessionId?: string;
  from?: Date;
  to?: Date;
  /** The id of the last event of the previous page. */
  before?: { at: Date; id: string };
  limit: number;
}

const SECRET_KEY = /pass|secret|token|cookie|authorization|hash/i;

/** Drops every key that names a secret, at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !SECRET_KEY.test(key))
      .map(([key, inner]) => [key, withoutSecrets(inner)]),
  );
}

const PRUNE_EVERY_MS = 3_600_000;

@Injectable()
export class AuditService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Audit');
  private readonly retentionDays: number;

  constructor(
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
    config: ConfigService<AppConfig, true>,
  ) {
    this.retentionDays = config.get('AUDIT_RETENTION_DAYS', { infer: true });
  }

  onApplicationBootstrap(): void {
    void this.prune(); // a portal restarted after a long stop does not wait an hour to apply the retention
  }

  /** Never throws: an audit row that cannot be written is logged as an error, and the action stands. */
  async record(event: NewAuditEvent, at = new Date()): Promise<void> {
    const row: AuditEventEntity = {
      id: randomUUID(),
      at,
      actor: event.actor.slice(0, 64),
      action: event.action,
      outcome: event.outcome ?? 'ok',
      address: event.address?.slice(0, 64) ?? null,
      sessionId: event.sessionId ?? null,
      subject: event.subject ?? null,
      details: withoutSecrets(event.details ?? {}) as Record<string, unknown>,
    };
    this.logger.log({
      event: 'audit',
      audit: toAuditEventDto(row),
      msg: `${row.actor} ${row.action}: ${row.outcome}`,
    });
    try {
      await this.events.insert(row as QueryDeepPartialEntity<AuditEventEntity>);
    } catch (error) {
      this.logger.error(
        `Could not store the audit event ${row.id} (${row.action} by ${row.actor}): ${(error as Error).message}`,
      );
    }
  }

  /** Newest first; one more row than asked tells whether an older page exists. */
  async page(filter: AuditFilter): Promise<{ events: AuditEventEntity[]; more: boolean }> {
    const query = this.events
      .createQueryBuilder('event')
      .orderBy('event.at', 'DESC')
      .addOrderBy('event.id', 'DESC')
      .limit(filter.limit + 1);
    if (filter.user) query.andWhere('(event.actor = :user OR event.subject = :user)', { user: filter.user });
    if (filter.action) query.andWhere('event.action = :action', { action: filter.action });
    if (filter.outcome) query.andWhere('event.outcome = :outcome', { outcome: filter.outcome });
    if (filter.sessionId) query.andWhere('event.sessionId = :sessionId', { sessionId: filter.sessionId });
    if (filter.from) query.andWhere('event.at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('event.at < :to', { to: filter.to });
    if (filter.before) {
      query
        .andWhere('event.at <= :beforeAt', { beforeAt: filter.before.at })
        .andWhere('(event.at < :beforeAt OR event.id < :beforeId)', { beforeId: filter.before.id });
    }
    const rows = await query.getMany();
    return { events: rows.slice(0, filter.limit), more: rows.length > filter.limit };
  }

  findById(id: string): Promise<AuditEventEntity | null> {
    return this.events.findOneBy({ id });
  }

  /** Removes events older than AUDIT_RETENTION_DAYS; hourly, and once at start-up. */
  @Interval(PRUNE_EVERY_MS)
  async prune(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.retentionDays * 86_400_000);
    try {
      const { affected } = await this.events.delete({ at: LessThan(cutoff) });
      if (affected) this.logger.log(`Pruned ${affected} audit events older than ${this.retentionDays} days`);
      return affected ?? 0;
    } catch (error) {
      this.logger.warn(`Could not prune the audit log: ${(error as Error).message}`);
      return 0;
    }
  }
}

export function toAuditEventDto(row: AuditEventEntity): AuditEventDto {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    outcome: row.outcome,
    address: row.address,
    sessionId: row.sessionId,
    subject: row.subject,
    details: row.details,
  };
}
