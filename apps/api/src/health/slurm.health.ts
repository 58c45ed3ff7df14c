// Health of the scheduler as the portal sees it: reachable or not, and the partitions and nodes.
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { SlurmHealthDto } from '@vizportal/session-domain';
import { SlurmError } from '@vizportal/slurm-client';
import { ClusterService } from '../cluster/cluster.service';
import { toClusterResponse } from '../cluster/dto/cluster.response';

@Injectable()
export class SlurmHealthIndicator {
  constructor(
    private readonly cluster: ClusterService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: string): Promise<Record<string, SlurmHealthDto>> {
    const indicator = this.indicators.check(key);
    try {
      return indicator.up({ ...toClusterResponse(await this.cluster.info()) });
    } catch (error) {
      if (error instanceof SlurmError) return indicator.down({ message: error.message });
      throw error;
    }
  }
}
