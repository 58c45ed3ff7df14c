// A local account (AUTH_MODE=local). The username is also the user's Unix account name.
import type { QuotaOverride } from '@vizportal/site-policy';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('IDX_users_username', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  username!: string;

  /** bcrypt hash (60 characters); never logged, never sent. */
  @Column({ type: 'varchar', length: 60 })
  passwordHash!: string;

  @Column({ type: 'boolean' })
  isAdmin!: boolean;

  @Column({ type: Date })
  createdAt!: Date;

  /** Unix groups as an administrator gives them (local mode), for the apps' and partitions' access rules. */
  @Column({ type: 'simple-json', default: '[]' })
  groups!: string[];

  /** A disabled account cannot log in; its logins are ended and its VNC connections refused. */
  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  /** An administrator's quota limits for this account; they win over the site policy's. */
  @Column({ type: 'simple-json', nullable: true })
  quotaOverride!: QuotaOverride | null;
}
