// The audit_events table: append-only (the API inserts and prunes by age, never updates).
import type { AuditAction, AuditOutcome } from '@vizportal/site-policy';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'audit_events' })
@Index('IDX_audit_at', ['at', 'id'])
@Index('IDX_audit_actor_at', ['actor', 'at'])
@Index('IDX_audit_session', ['sessionId'])
export class AuditEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: Date })
  at!: Date;

  @Column({ type: 'varchar', length: 64 })
  actor!: string;

  @Column({ type: 'varchar', length: 32 })
  action!: AuditAction;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AuditOutcome;

  @Column({ type: 'varchar', length: 64, nullable: true })
  address!: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  sessionId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  subject!: string | null;

  @Column({ type: 'simple-json' })
  details!: Record<string, unknown>;
}
