// The app catalog: every manifest in CATALOG_DIR, validated when the API starts (a bad manifest
// stops start-up with the file and the field named), and each app's form with the cluster's
// partitions filled in.
import { resolve } from 'node:path';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type AppManifest, Catalog, type ChoiceContext, loadCatalog } from '@vizportal/job-templates';
import { type ClusterInfo, SlurmUnavailableError } from '@vizportal/slurm-client';
import { type Principal, mayUse } from '@vizportal/site-policy';
import { SitePolicy } from '../policy/site-policy.service';
import { AppNotAllowedError, AppNotFoundError } from './catalog-errors';
import { ClusterService } from '../cluster/cluster.service';
import type { AppConfig } from '../config/app-config';

@Injectable()
export class CatalogService implements OnModuleInit {
  private readonly logger = new Logger(CatalogService.name);
  private catalog: Catalog = new Catalog([]);
  private readonly dir: string;

  constructor(
    private readonly cluster: ClusterService,
    private readonly policy: SitePolicy,
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

  /** The apps this user may launch (a manifest's `access`); the others are not shown to them. */
  appsFor(who: Principal): AppManifest[] {
    return this.catalog.apps.filter((app) => mayUse(app.access, who));
  }

  /** Throws AppNotFoundError (404) or AppNotAllowedError (403, naming who may use it). */
  appFor(who: Principal, appId: string): AppManifest {
    const app = this.find(appId);
    if (!app) throw new AppNotFoundError(appId);
    if (app.access && !mayUse(app.access, who)) throw new AppNotAllowedError(app.title, app.access);
    return app;
  }

  /** What validation needs from the cluster now; throws SlurmUnavailableError when Slurm is away. */
  async choiceContext(): Promise<ChoiceContext> {
    return toChoiceContext(await this.cluster.info());
  }

  /** As choiceContext, with only the partitions the site lets this user launch into. */
  async choiceContextFor(who: Principal): Promise<ChoiceContext> {
    const context = await this.choiceContext();
    return {
      ...context,
      partitions: context.partitions.filter((p) => this.policy.mayUsePartition(p.name, who)),
    };
  }

  /** As choiceContextFor, but no partitions while Slurm is away: the form is still worth showing. */
  async formContextFor(who: Principal): Promise<ChoiceContext> {
    try {
      return await this.choiceContextFor(who);
    } catch (error) {
      // Launching will say why it can't.
      if (!(error instanceof SlurmUnavailableError)) throw error;
      return { partitions: [] };
    }
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
