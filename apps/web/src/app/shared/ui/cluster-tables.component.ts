// The cluster's partitions and nodes as two tables, for the status page and the admin page alike:
// limits and GPUs per partition; load, memory, state flags and Slurm's reason per node, with the
// nodes that cannot take jobs now greyed out.
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { NodeDto, PartitionDto } from '@vizportal/session-domain';
import { describeTimeLimit } from '../data-access/cluster';

@Component({
  selector: 'vp-cluster-tables',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (partitions().length > 0) {
      <h2>Partitions</h2>
      <table class="vp-table" data-testid="partitions">
        <thead>
          <tr>
            <th>Partition</th>
            <th>State</th>
            <th>Nodes</th>
            <th>Time limit</th>
            <th>CPUs per node</th>
            <th>GRES</th>
          </tr>
        </thead>
        <tbody>
          @for (partition of partitions(); track partition.name) {
            <tr>
              <td>
                {{ partition.name }}
                @if (partition.isDefault) {
                  <span class="vp-tag">default</span>
                }
              </td>
              <td>{{ partition.state }}</td>
              <td>{{ partition.nodes.join(', ') }}</td>
              <td>{{ describeTimeLimit(partition.maxTimeMinutes) }}</td>
              <td>{{ partition.maxCpusPerNode ?? '—' }}</td>
              <td>{{ gres(partition.gres) }}</td>
            </tr>
          }
        </tbody>
      </table>
    }
    @if (nodes().length > 0) {
      <h2>Nodes</h2>
      <table class="vp-table" data-testid="nodes">
        <thead>
          <tr>
            <th>Node</th>
            <th>State</th>
            <th>CPUs in use</th>
            <th>Memory</th>
            <th>GRES</th>
            <th>Partitions</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          @for (node of nodes(); track node.name) {
            <tr [class.vp-off]="!node.usable">
              <td>{{ node.name }}</td>
              <td>{{ [node.state].concat(node.flags).join(', ') }}</td>
              <td>{{ node.allocatedCpus }} / {{ node.cpus }}</td>
              <td>{{ formatMemory(node.memoryMb) }}</td>
              <td>{{ node.gres ?? '—' }}</td>
              <td>{{ node.partitions.join(', ') }}</td>
              <td>{{ node.reason ?? '' }}</td>
            </tr>
          }
        </tbody>
      </table>
    }
  `,
  styles: `
    h2 {
      font: var(--mat-sys-title-medium);
      margin: 16px 0 8px;
    }
    .vp-table {
      border-collapse: collapse;
      width: 100%;
      margin-bottom: 16px;
    }
    .vp-table th,
    .vp-table td {
      text-align: left;
      padding: 6px 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .vp-table th {
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-off td {
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-tag {
      font: var(--mat-sys-label-small);
      background: var(--mat-sys-surface-container-high);
      border-radius: 999px;
      padding: 1px 8px;
      margin-left: 4px;
    }
  `,
})
export class ClusterTablesComponent {
  readonly partitions = input.required<readonly PartitionDto[]>();
  readonly nodes = input.required<readonly NodeDto[]>();

  protected readonly describeTimeLimit = describeTimeLimit;

  protected formatMemory(mb: number): string {
    return mb >= 1024 ? `${Math.round((mb / 1024) * 10) / 10} GB` : `${mb} MB`;
  }

  protected gres(gres: Record<string, string>): string {
    return (
      Object.entries(gres)
        .map(([name, count]) => `${name}:${count}`)
        .join(', ') || '—'
    );
  }
}
