// What the cluster is doing right now, beside the launch form: each partition's limits and each
// node's load, so a user can tell "starts at once" from "will wait".
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import type { ClusterDto } from '@vizportal/session-domain';
import { describeTimeLimit } from '../../shared/data-access/cluster';

@Component({
  selector: 'vp-cluster-overview',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatIconModule],
  template: `
    <h2><mat-icon>dns</mat-icon> On the cluster now</h2>
    @if (cluster(); as cluster) {
      <ul class="vp-partitions">
        @for (partition of cluster.partitions; track partition.name) {
          <li [class.vp-selected]="partition.name === selected()">
            <span class="vp-name">{{ partition.name }}</span>
            @if (partition.isDefault) {
              <span class="vp-tag">default</span>
            }
            <span class="vp-limit">{{
              partition.state === 'up' ? describeTimeLimit(partition.maxTimeMinutes) : partition.state
            }}</span>
          </li>
        }
      </ul>
      <ul class="vp-nodes" data-testid="cluster-nodes">
        @for (node of nodes(); track node.name) {
          <li [class.vp-unusable]="!node.usable">
            <div class="vp-node-head">
              <span class="vp-name">{{ node.name }}</span>
              <span class="vp-node-state">{{
                node.usable
                  ? node.free + ' of ' + node.cpus + ' CPUs free'
                  : node.state + (node.reason ? ': ' + node.reason : '')
              }}</span>
            </div>
            <div
              class="vp-meter"
              role="meter"
              [attr.aria-valuenow]="node.allocatedCpus"
              aria-valuemin="0"
              [attr.aria-valuemax]="node.cpus"
              [attr.aria-label]="node.name + ' CPUs in use'"
            >
              <div class="vp-meter-fill" [style.width.%]="node.usedPercent"></div>
            </div>
          </li>
        }
      </ul>
    } @else if (error()) {
      <p class="vp-muted">{{ error() }}</p>
    } @else {
      <p class="vp-muted">Reading the cluster…</p>
    }
  `,
  styles: `
    :host {
      display: block;
      padding: 16px;
      border-radius: 16px;
      background: var(--mat-sys-surface-container-low);
      border: 1px solid var(--mat-sys-outline-variant);
    }
    h2 {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 0 0 12px;
      font: var(--mat-sys-title-small);
    }
    h2 mat-icon {
      font-size: 20px;
      width: 20px;
      height: 20px;
      color: var(--mat-sys-primary);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .vp-partitions li {
      display: flex;
      align-items: center;
      gap: 6px;
      padding: 6px 8px;
      border-radius: 8px;
      font: var(--mat-sys-body-medium);
    }
    .vp-partitions li.vp-selected {
      background: var(--mat-sys-secondary-container);
    }
    .vp-name {
      font-weight: 600;
    }
    .vp-tag {
      font: var(--mat-sys-label-small);
      padding: 0 6px;
      border-radius: 999px;
      background: var(--mat-sys-surface-container-highest);
    }
    .vp-limit {
      margin-left: auto;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .vp-nodes {
      margin-top: 12px;
      border-top: 1px solid var(--mat-sys-outline-variant);
      padding-top: 8px;
    }
    .vp-nodes li {
      padding: 6px 8px;
    }
    .vp-node-head {
      display: flex;
      justify-content: space-between;
      gap: 8px;
      font: var(--mat-sys-body-small);
    }
    .vp-node-state {
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-meter {
      height: 6px;
      margin-top: 4px;
      border-radius: 3px;
      background: var(--mat-sys-surface-container-highest);
      overflow: hidden;
    }
    .vp-meter-fill {
      height: 100%;
      background: var(--mat-sys-primary);
      border-radius: 3px;
    }
    .vp-unusable .vp-node-state {
      color: var(--mat-sys-error);
    }
    .vp-unusable .vp-meter-fill {
      background: var(--mat-sys-outline);
    }
    .vp-muted {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
      margin: 0;
    }
  `,
})
export class ClusterOverviewComponent {
  readonly cluster = input<ClusterDto | null>(null);
  /** Why the cluster could not be read (Slurm unreachable). */
  readonly error = input<string | null>(null);
  /** The partition the form has chosen, highlighted. */
  readonly selected = input<string | null>(null);

  protected readonly nodes = computed(() =>
    (this.cluster()?.nodes ?? []).map((node) => ({
      ...node,
      free: Math.max(0, node.cpus - node.allocatedCpus),
      usedPercent: node.cpus ? Math.min(100, (node.allocatedCpus / node.cpus) * 100) : 0,
    })),
  );

  protected readonly describeTimeLimit = describeTimeLimit;
}
