// One login: the browser holds a random token in a cookie, the database only its SHA-256, so a
// stolen database cannot be replayed, and deleting the row (logout, expiry) really ends the login.
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from './user.entity';

@Entity({ name: 'login_sessions' })
export class LoginSessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Hex SHA-256 of the cookie's token. */
  @Index('IDX_login_sessions_tokenHash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Index('IDX_login_sessions_userId')
  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user?: UserEntity;

  @Column({ type: Date })
  createdAt!: Date;

  @Index('IDX_login_sessions_expiresAt')
  @Column({ type: Date })
  expiresAt!: Date;

  @Column({ type: Date })
  lastSeenAt!: Date;
}
