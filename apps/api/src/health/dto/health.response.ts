// GET /api/health's report as Swagger shows it. @nestjs/terminus builds the body; these classes
// document the contract of session-domain (health.dto.ts) it follows, and `implements` makes a
// drift between the two a compile error (the indicators are typed against the same contract).
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  HEALTH_INDICATOR_STATUSES,
  HEALTH_STATUSES,
  type DatabaseHealthDto,
  type HealthIndicatorStatus,
  type HealthIndicatorsDto,
  type HealthReportDto,
  type HealthStatus,
  type SlurmHealthDto,
} from '@vizportal/session-domain';
import { NodeResponse, PartitionResponse } from '../../cluster/dto/cluster.response';

export class DatabaseHealthResponse implements DatabaseHealthDto {
  @ApiProperty({ enum: HEALTH_INDICATOR_STATUSES, example: 'up' }) status!: HealthIndicatorStatus;
  @ApiPropertyOptional({
    example: 'writes fail: SQLITE_FULL: database or disk is full',
    description: 'Why it is down',
  })
  message?: string;
  @ApiPropertyOptional({ example: '2026-03-02T09:00:00.000Z', description: 'Since when writes fail' })
  since?: string;
}

export class SlurmHealthResponse implements SlurmHealthDto {
  @ApiProperty({ enum: HEALTH_INDICATOR_STATUSES, example: 'up' }) status!: HealthIndicatorStatus;
  @ApiPropertyOptional({
    example: 'Unable to contact slurm controller',
    description: 'Why Slurm is unreachable',
  })
  message?: string;
  @ApiPropertyOptional({ type: [PartitionResponse], description: 'Only when up' })
  partitions?: PartitionResponse[];
  @ApiPropertyOptional({ type: [NodeResponse], description: 'Only when up' }) nodes?: NodeResponse[];
}

export class HealthIndicatorsResponse implements HealthIndicatorsDto {
  @ApiProperty({ type: DatabaseHealthResponse }) database!: DatabaseHealthResponse;
  @ApiProperty({ type: SlurmHealthResponse, description: 'The scheduler' }) slurm!: SlurmHealthResponse;
}

export class SomeHealthIndicatorsResponse extends PartialType(HealthIndicatorsResponse) {}

export class HealthReportResponse implements HealthReportDto {
  @ApiProperty({ enum: HEALTH_STATUSES, example: 'ok' }) status!: HealthStatus;
  @ApiPropertyOptional({ type: SomeHealthIndicatorsResponse, description: 'The indicators that are up' })
  info?: SomeHealthIndicatorsResponse;
  @ApiPropertyOptional({ type: SomeHealthIndicatorsResponse, description: 'The indicators that are down' })
  error?: SomeHealthIndicatorsResponse;
  @ApiProperty({ type: HealthIndicatorsResponse, description: 'Every indicator, up or down' })
  details!: HealthIndicatorsResponse;
}
