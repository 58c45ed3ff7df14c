import { ApiProperty } from '@nestjs/swagger';
import type { UserEntity } from '../entities/user.entity';

/** An account as admins see it: never the password hash. */
export class UserDto {
  @ApiProperty({ example: 'bob' })
  username!: string;

  @ApiProperty({ example: false })
  isAdmin!: boolean;

  @ApiProperty({ example: '2026-11-28T10:00:00.000Z' })
  createdAt!: string;

  static from(user: UserEntity): UserDto {
    return { username: user.username, isAdmin: user.isAdmin, createdAt: user.createdAt.toISOString() };
  }
}
