// The contract of GET /api/health: a @nestjs/terminus report on the portal's two dependencies, the
// database and Slurm (the scheduler). 200 when both are up; 503 with the same body when one is not.
// The API's health indicators are typed against these; the status page reads them.
import type { NodeDto, PartitionDto } from './cluster.dto';

export const HEALTH_STATUSES = ['ok', 'error', 'shutting_down'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export const HEALTH_INDICATOR_STATUSES = ['up', 'down'] as const;
export type HealthIndicatorStatus = (typeof HEALTH_INDICATOR_STATUSES)[number];

/** Up when the database answers a ping and its last write did not fail. */
export interface DatabaseHealthDto {
  status: HealthIndicatorStatus;
  /** Why it is down. */
  message?: string;
  /** Since when writes fail (ISO), when that is why it is down. */
  since?: string;
}

/** Up with the cluster as users may see it (as GET /api/cluster); down with the Slurm client's error. */
export interface SlurmHealthDto {
  status: HealthIndicatorStatus;
  /** Why Slurm is unreachable; only when down. */
  message?: string;
  /** Only when up. */
  partitions?: PartitionDto[];
  /** Only when up. */
  nodes?: NodeDto[];
}

export interface HealthIndicatorsDto {
  database: DatabaseHealthDto;
  slurm: SlurmHealthDto;
}

export interface HealthReportDto {
  status: HealthStatus;
  /** The indicators that are up. */
  info?: Partial<HealthIndicatorsDto>;
  /** The indicators that are down. */
  error?: Partial<HealthIndicatorsDto>;
  /** Every indicator, up or down. */
  details: HealthIndicatorsDto;
}
