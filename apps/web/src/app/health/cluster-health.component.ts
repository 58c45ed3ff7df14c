// The cluster status page: is the portal's database up, is Slurm reachable, and what do its nodes do.
import { Component, OnInit, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatChipsModule } from '@angular/material/chips';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { describeTimeLimit } from '../shared/data-access/cluster';
import { ClusterHealthService } from './cluster-health.service';

@Component({
  selector: 'vp-cluster-health',
  imports: [MatButtonModule, MatCardModule, MatChipsModule, MatProgressBarModule],
  template: `
    <h1>Cluster status</h1>
    @if (health.loading()) {
      <mat-progress-bar mode="indeterminate" />
    }
    @if (health.error(); as error) {
      <p class="vp-error" role="alert">{{ error }}</p>
    }
    @if (health.report(); as report) {
      <section class="vp-indicators">
        <mat-card appearance="outlined">
          <mat-card-header><mat-card-title>Database</mat-card-title></mat-card-header>
          <mat-card-content>
            <span
              class="vp-status"
              [class.vp-down]="database()?.status !== 'up'"
              data-testid="database-status"
            >
              {{ database()?.status === 'up' ? 'Up' : 'Down' }}
            </span>
            <p>{{ database()?.message }}</p>
          </mat-card-content>
        </mat-card>
        <mat-card appearance="outlined">
          <mat-card-header><mat-card-title>Slurm</mat-card-title></mat-card-header>
          <mat-card-content>
            <span class="vp-status" [class.vp-down]="slurm()?.status !== 'up'" data-testid="slurm-status">
              {{ slurm()?.status === 'up' ? 'Reachable' : 'Unreachable' }}
            </span>
            @if (slurm()?.status !== 'up') {
              <p>{{ slurm()?.message }}</p>
            }
          </mat-card-content>
        </mat-card>
      </section>

      @if (slurm()?.partitions?.length) {
        <h2>Partitions</h2>
        <table class="vp-table" data-testid="partitions">
          <thead>
            <tr>
              <th>Partition</th>
              <th>State</th>
              <th>Nodes</th>
              <th>Time limit</th>
            </tr>
          </thead>
          <tbody>
            @for (partition of slurm()?.partitions ?? []; track partition.name) {
              <tr>
                <td>
                  {{ partition.name }}
                  @if (partition.isDefault) {
                    <em> (default)</em>
                  }
                </td>
                <td>{{ partition.state }}</td>
                <td>{{ partition.nodes.join(', ') }}</td>
                <td>{{ describeTimeLimit(partition.maxTimeMinutes) }}</td>
              </tr>
            }
          </tbody>
        </table>
      }
      @if (slurm()?.nodes?.length) {
        <h2>Nodes</h2>
        <table class="vp-table" data-testid="nodes">
          <thead>
            <tr>
              <th>Node</th>
              <th>State</th>
              <th>CPUs in use</th>
              <th>Memory</th>
              <th>Partitions</th>
            </tr>
          </thead>
          <tbody>
            @for (node of slurm()?.nodes ?? []; track node.name) {
              <tr>
                <td>{{ node.name }}</td>
                <td>
                  <mat-chip-set
                    ><mat-chip>{{ node.state }}</mat-chip></mat-chip-set
                  >
                </td>
                <td>{{ node.allocatedCpus }} / {{ node.cpus }}</td>
                <td>{{ node.memoryMb / 1024 }} GB</td>
                <td>{{ node.partitions.join(', ') }}</td>
              </tr>
            }
          </tbody>
        </table>
      }
    }
    <button mat-stroked-button type="button" (click)="health.refresh()">Refresh</button>
  `,
  styles: `
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 0 0 16px;
    }
    h2 {
      font: var(--mat-sys-title-medium);
      margin: 24px 0 8px;
    }
    .vp-indicators {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(240px, 1fr));
      gap: 1rem;
    }
    .vp-status {
      font-weight: 600;
      color: #1b7f3b;
    }
    .vp-status.vp-down,
    .vp-error {
      color: #b3261e;
    }
    .vp-table {
      border-collapse: collapse;
      width: 100%;
      margin-bottom: 1rem;
    }
    .vp-table th,
    .vp-table td {
      text-align: left;
      padding: 0.4rem 0.6rem;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .vp-table th {
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class ClusterHealthComponent implements OnInit {
  protected readonly health = inject(ClusterHealthService);
  protected readonly database = computed(() => this.health.report()?.details.database);
  protected readonly slurm = computed(() => this.health.report()?.details.slurm);
  protected readonly describeTimeLimit = describeTimeLimit;

  ngOnInit(): void {
    void this.health.refresh();
  }
}
