import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** Deliberately loose: a malformed user name gets the same 401 as a wrong one, not a 400 that tells them apart. */
export class LoginDto {
  @ApiProperty({ example: 'alice', maxLength: 64 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username!: string;

  @ApiProperty({ example: 'correct horse battery staple', format: 'password', maxLength: 1024 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password!: string;
}
