// A local account (AUTH_MODE=local). The username is also the user's Unix account name.
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
}
