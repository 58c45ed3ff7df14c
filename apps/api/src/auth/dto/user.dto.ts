import { ApiProperty } from '@nestjs/swagger';
import type { AccountDto, QuotaOverride } from '@vizportal/site-policy';
import type { UserEntity } from '../entities/user.entity';

/** An account as admins see it: never the password hash. */
export class UserDto implements AccountDto {
  @ApiProperty({ example: 'bob' })
  username!: string;

  @ApiProperty({ example: false })
  isAdmin!: boolean;

  @ApiProperty({ example: '2026-11-28T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({
    example: ['cae-users'],
    description: 'Unix groups for the access rules, as an administrator set them.',
  })
  groups!: string[];

  @ApiProperty({
    example: false,
    description: 'A disabled account cannot log in or connect to its desktops.',
  })
  disabled!: boolean;

  @ApiProperty({
    type: 'object',
    nullable: true,
    example: { liveSessions: 5, cpus: null },
    description:
      "Quota limits that win over the site policy's; a null limit is no limit. null: the site policy applies.",
    additionalProperties: true,
  })
  quotaOverride!: QuotaOverride | null;

  static from(user: UserEntity): UserDto {
    return {
      username: user.username,
      isAdmin: user.isAdmin,
      createdAt: user.createdAt.toISOString(),
      groups: user.groups,
      disabled: user.disabled,
      quotaOverride: user.quotaOverride,
    };
  }
}
