// The launcher: the catalog as cards, grouped by category, with a line on how busy the cluster is.
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ClusterService } from '../../shared/data-access/cluster.service';
import { partitionLoad } from '../../shared/data-access/cluster';
import { CatalogService } from '../../shared/data-access/catalog.service';
import { QuotaService } from '../../shared/data-access/quota.service';
import { AppCardComponent } from '../ui/app-card.component';
import { QuotaUsageComponent } from '../ui/quota-usage.component';

@Component({
  selector: 'vp-launcher-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AppCardComponent, MatButtonModule, MatIconModule, MatProgressBarModule, QuotaUsageComponent],
  template: `
    <header class="vp-page-head">
      <h1>Launch an app</h1>
      <p class="vp-page-sub">
        Each app opens as a desktop on a visualization node, right here in your browser.
      </p>
      @if (capacity(); as text) {
        <p class="vp-capacity" data-testid="cluster-capacity"><mat-icon>dns</mat-icon>{{ text }}</p>
      }
    </header>
    <vp-quota-usage [report]="quotas.report()" />
    @if (catalog.loading() && !catalog.apps()) {
      <mat-progress-bar mode="indeterminate" />
    }
    @if (catalog.error(); as error) {
      <p class="vp-error" role="alert">
        <mat-icon>error</mat-icon> The app catalog could not be read: {{ error }}
        <button mat-button type="button" (click)="catalog.load(true)">Try again</button>
      </p>
    }
    <!-- One grid, ordered by category (each card names its own): a small catalog should not
         look like a sparse list of headings. -->
    <div class="vp-grid" data-testid="catalog">
      @for (app of apps(); track app.id) {
        <vp-app-card [app]="app" />
      }
    </div>
  `,
  styles: `
    .vp-page-head {
      margin-bottom: 8px;
    }
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 0;
    }
    .vp-page-sub {
      margin: 4px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-capacity {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      margin: 12px 0 0;
      padding: 4px 12px 4px 8px;
      border-radius: 999px;
      background: var(--mat-sys-surface-container);
      font: var(--mat-sys-body-small);
    }
    .vp-capacity mat-icon {
      font-size: 18px;
      width: 18px;
      height: 18px;
      color: var(--mat-sys-primary);
    }
    .vp-grid {
      margin-top: 24px;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(250px, 1fr));
      gap: 16px;
    }
    .vp-error {
      display: flex;
      align-items: center;
      gap: 8px;
      color: var(--mat-sys-error);
    }
  `,
})
export class LauncherPageComponent {
  protected readonly catalog = inject(CatalogService);
  private readonly cluster = inject(ClusterService);
  protected readonly quotas = inject(QuotaService);

  protected readonly apps = computed(() => this.catalog.categories().flatMap((category) => category.apps));

  /** "Partition viz: 7 of 8 CPUs free on 2 nodes" for the default partition. */
  protected readonly capacity = computed(() => {
    const cluster = this.cluster.cluster();
    const partition = cluster?.partitions.find((candidate) => candidate.isDefault) ?? cluster?.partitions[0];
    const load = cluster && partition ? partitionLoad(cluster, partition.name) : null;
    if (!load) return null;
    return `Partition ${load.partition.name}: ${load.freeCpus} of ${load.totalCpus} CPUs free on ${load.usableNodes} node${load.usableNodes === 1 ? '' : 's'} ready for work`;
  });

  constructor() {
    void this.catalog.load();
    void this.quotas.refresh();
    void this.cluster.refresh();
  }
}
