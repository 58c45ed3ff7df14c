import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { GROUP_NAME_PATTERN } from '../account-rules';

/** An administrator's limits for one account; a null limit is no limit, an absent one the site policy's. */
export class QuotaOverrideDto {
  @ApiPropertyOptional({ nullable: true, example: 5, description: 'Sessions running or waiting at once.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  liveSessions?: number | null;

  @ApiPropertyOptional({ nullable: true, example: 32, description: 'CPUs in live sessions.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  cpus?: number | null;

  @ApiPropertyOptional({ nullable: true, example: 1, description: 'GPUs in live sessions.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  gpus?: number | null;

  @ApiPropertyOptional({ nullable: true, example: 100, description: 'Session-hours in a rolling 7 days.' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  sessionHours?: number | null;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isAdmin?: boolean;

  @ApiPropertyOptional({
    description: "Disabling ends the account's logins and refuses its VNC connections.",
  })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ example: ['cae-users'], description: "Replaces the account's groups." })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @Matches(GROUP_NAME_PATTERN, { each: true, message: 'groups must be Unix group names' })
  groups?: string[];

  @ApiPropertyOptional({ type: QuotaOverrideDto, nullable: true, description: 'null clears the override.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuotaOverrideDto)
  quotaOverride?: QuotaOverrideDto | null;
}
