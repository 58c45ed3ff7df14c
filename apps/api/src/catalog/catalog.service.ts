// The app catalog: every manifest in CATALOG_DIR, validated when the API starts (a bad manifest
// stops start-up with the file and the field named), and each app's form with the cluster's
// partitions filled in.
import { resolve } from 'node:path';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type AppManifest, Catalog, type ChoiceContext, loadCatalog } from '@vizportal/job-templates';
import type { ClusterInfo } from '@vizportal/slurm-client';
import { ClusterService } from '../cluster/cluster.service';
import type { AppConfig } from '../config/app-config';

@Injectable()
export class CatalogService implements OnModuleInit {
  private readonly logger = new Logger(CatalogService.name);
  private catalog: Catalog = new Catalog([]);
  private readonly dir: string;

  constructor(
    private readonly cluster: ClusterService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.dir = resolve(config.get('CATALOG_DIR', { infer: true }));
  }

  onModuleInit(): void {
    this.catalog = loadCatalog(this.dir);
    this.logger.log(
      `${this.catalog.apps.length} apps from ${this.dir}: ${this.catalog.apps.map((app) => app.id).join(', ')}`,
    );
  }

  apps(): readonly AppManifest[] {
    return this.catalog.apps;
  }

  find(appId: string): AppManifest | undefined {
    return this.catalog.get(appId);
  }

  /** What validation needs from the cluster now; throws SlurmUnavailableError when Slurm is away. */
  async choiceContext(): Promise<ChoiceContext> {
    return toChoiceContext(await this.cluster.info());
  }
}

export function toChoiceContext(info: ClusterInfo): ChoiceContext {
  return {
    partitions: info.partitions
      .filter((partition) => !partition.hidden)
      .map((partition) => {
        const nodes = info.nodes.filter((node) => partition.nodes.includes(node.name));
        const largest = (pick: (cpus: number | null, memory: number | null) => number | null) =>
          Math.max(0, ...nodes.map((node) => pick(node.cpus.total, node.memoryMb.total) ?? 0)) || undefined;
        return {
          name: partition.name,
          isDefault: partition.isDefault,
          maxTimeMinutes: partition.maxTimeMinutes,
          maxCpusPerNode: partition.maxCpusPerNode ?? largest((cpus) => cpus),
          maxMemoryMbPerNode: partition.maxMemoryPerNodeMb ?? largest((_, memory) => memory),
        };
      }),
  };
}
