// What the cluster looks like (partitions with their limits, nodes with their states), from one
// pair of Slurm commands shared by every caller within CLUSTER_CACHE_MS: the launcher, /api/health
// and the VNC proxy's node addresses never make Slurm answer the same question twice at once.
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type ClusterInfo, SLURM_CLIENT, type SlurmClient } from '@vizportal/slurm-client';
import type { AppConfig } from '../config/app-config';

@Injectable()
export class ClusterService {
  private cached: { info: ClusterInfo; at: number } | null = null;
  private inFlight: Promise<ClusterInfo> | null = null;
  private readonly cacheMs: number;

  constructor(
    @Inject(SLURM_CLIENT) private readonly slurm: SlurmClient,
    config: ConfigService<AppConfig, true>,
  ) {
    this.cacheMs = config.get('CLUSTER_CACHE_MS', { infer: true });
  }

  /** Throws SlurmUnavailableError when Slurm does not answer. */
  async info(now = Date.now()): Promise<ClusterInfo> {
    if (this.cached && now - this.cached.at < this.cacheMs) return this.cached.info;
    return this.refresh();
  }

  /** Slurm's NodeAddr for a node: the only address the VNC proxy dials. */
  async nodeAddress(node: string): Promise<string | null> {
    let found = (await this.info()).nodes.find((candidate) => candidate.name === node);
    // A node added since the last look: ask Slurm once more before giving up.
    if (!found) found = (await this.refresh()).nodes.find((candidate) => candidate.name === node);
    return found?.address ?? null;
  }

  private refresh(): Promise<ClusterInfo> {
    this.inFlight ??= this.slurm
      .clusterInfo()
      .then((info) => {
        this.cached = { info, at: Date.now() };
        return info;
      })
      .finally(() => (this.inFlight = null));
    return this.inFlight;
  }
}
