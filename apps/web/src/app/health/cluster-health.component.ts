// The cluster status page: is the portal's database up, is Slurm reachable, and what do its nodes do.
import { Component, OnInit, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ClusterTablesComponent } from '../shared/ui/cluster-tables.component';
import { ClusterHealthService } from './cluster-health.service';

@Component({
  selector: 'vp-cluster-health',
  imports: [ClusterTablesComponent, MatButtonModule, MatCardModule, MatProgressBarModule],
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

      <vp-cluster-tables [partitions]="slurm()?.partitions ?? []" [nodes]="slurm()?.nodes ?? []" />
    }
    <button mat-stroked-button type="button" (click)="health.refresh()">Refresh</button>
  `,
  styles: `
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 0 0 16px;
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
  `,
})
export class ClusterHealthComponent implements OnInit {
  protected readonly health = inject(ClusterHealthService);
  protected readonly database = computed(() => this.health.report()?.details.database);
  protected readonly slurm = computed(() => this.health.report()?.details.slurm);

  ngOnInit(): void {
    void this.health.refresh();
  }
}
