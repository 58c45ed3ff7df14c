import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH, USERNAME_PATTERN, USERNAME_RULE } from '../account-rules';

export class CreateUserDto {
  @ApiProperty({
    example: 'bob',
    pattern: USERNAME_PATTERN.source,
    description: `Also the Unix account jobs run as: ${USERNAME_RULE}.`,
  })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: `username must be ${USERNAME_RULE}` })
  username!: string;

  @ApiProperty({
    example: 'a long passphrase',
    format: 'password',
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_BYTES,
  })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_BYTES) // characters here; UserService also checks the 72 bytes bcrypt reads
  password!: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  isAdmin?: boolean;
}
