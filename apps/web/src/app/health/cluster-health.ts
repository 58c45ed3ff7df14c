// The shape of GET /api/health (a @nestjs/terminus report), as far as this page reads it.
export interface SlurmPartitionHealth {
  name: string;
  isDefault: boolean;
  state: string;
  nodes: string[];
  maxTimeMinutes: number | null;
}

export interface SlurmNodeHealth {
  name: string;
  state: string;
  cpus: number;
  allocatedCpus: number;
  memoryMb: number;
  partitions: string[];
}

export interface IndicatorHealth {
  status: 'up' | 'down';
  message?: string;
  partitions?: SlurmPartitionHealth[];
  nodes?: SlurmNodeHealth[];
}

export interface HealthReport {
  status: 'ok' | 'error' | 'shutting_down';
  details: Record<string, IndicatorHealth>;
}
