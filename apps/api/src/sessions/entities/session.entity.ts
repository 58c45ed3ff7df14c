// The sessions table. Column types are TypeORM's portable ones (Date, varchar, int, text), so the
// same entity runs on SQLite (the default) and PostgreSQL (sites with several API instances).
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'sessions' })
// GET /api/sessions: a page of ended sessions in the list's order (createdAt, then id), one user's
// or everyone's (admins); and one user's live sessions, found among the few live rows. The poller's
// look-up of every live session uses the latter's first column.
@Index('IDX_sessions_owner_createdAt', ['owner', 'createdAt', 'id'])
@Index('IDX_sessions_createdAt', ['createdAt', 'id'])
@Index('IDX_sessions_state_owner', ['state', 'owner'])
export class SessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  owner!: string;

  @Column({ type: 'varchar', length: 64 })
  appId!: string;

  @Column({ type: 'varchar', length: 200 })
  appTitle!: string;

  @Column({ type: 'simple-json' })
  values!: Record<string, string | number | boolean>;

  @Column({ type: 'varchar', length: 16 })
  state!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  jobId!: string | null;

  @Index('IDX_sessions_submitToken', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  submitToken!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  slurmState!: string | null;

  @Column({ type: 'simple-json', nullable: true })
  slurmFlags!: string[] | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  slurmReason!: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  node!: string | null;

  @Column({ type: Date, nullable: true })
  expectedStartAt!: Date | null;

  @Column({ type: Date, nullable: true })
  startedAt!: Date | null;

  @Column({ type: Date, nullable: true })
  endedAt!: Date | null;

  @Column({ type: Date, nullable: true })
  readyAt!: Date | null;

  @Column({ type: Date })
  createdAt!: Date;

  @Column({ type: Date })
  updatedAt!: Date;

  @Column({ type: 'int', nullable: true })
  timeLimitMinutes!: number | null;

  @Column({ type: 'int', default: 0 })
  extendedMinutes!: number;

  @Column({ type: 'int', nullable: true })
  exitCode!: number | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  endReason!: string | null;

  @Column({ type: 'text', nullable: true })
  message!: string | null;

  @Column({ type: 'int', nullable: true })
  endpointPort!: number | null;

  @Column({ type: 'int', nullable: true })
  endpointDisplay!: number | null;

  @Column({ type: Date, nullable: true })
  notListedSince!: Date | null;

  // Idle auto-stop: the last activity of each kind, the owner's last "keep it", the warning given.
  @Column({ type: Date, nullable: true })
  lastViewedAt!: Date | null;

  @Column({ type: Date, nullable: true })
  lastInputAt!: Date | null;

  @Column({ type: Date, nullable: true })
  keptAt!: Date | null;

  @Column({ type: Date, nullable: true })
  idleStopAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  idleStopReason!: string | null;

  /** The desktop's one-time VNC password, from the readiness report; handed only to the owner by /connect. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  vncPassword!: string | null;

  /** The CPUs and GPUs the session asked Slurm for, counted against the owner's quotas; null before they were recorded. */
  @Column({ type: 'int', nullable: true })
  cpus!: number | null;

  @Column({ type: 'int', nullable: true })
  gpus!: number | null;

  /** SHA-256 of the job's one-time readiness secret; cleared when the report arrives. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  readinessSecretHash!: string | null;
}
