// One app's launch page: its form, then POST /api/sessions. Success goes to the sessions page
// with the new card highlighted; a refusal stays here, at the fields (400) or above the button.
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import type { FormFieldValue } from '@vizportal/session-domain';
import { SessionStore } from '../../shared/data-access/session-store';
import { type FieldError, toApiProblem } from '../../shared/data-access/api-error';
import { ClusterService } from '../../shared/data-access/cluster.service';
import { BrowserNotifications } from '../../shared/data-access/browser-notifications';
import { EmptyStateComponent } from '../../shared/ui/empty-state.component';
import { CatalogService } from '../../shared/data-access/catalog.service';
import { QuotaService } from '../../shared/data-access/quota.service';
import { ClusterOverviewComponent } from '../ui/cluster-overview.component';
import { QuotaUsageComponent } from '../ui/quota-usage.component';
import { LaunchFormComponent } from '../ui/launch-form.component';

@Component({
  selector: 'vp-launch-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ClusterOverviewComponent,
    EmptyStateComponent,
    LaunchFormComponent,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    QuotaUsageComponent,
    RouterLink,
  ],
  template: `
    <a mat-button routerLink="/apps" class="vp-back"><mat-icon>arrow_back</mat-icon> All apps</a>
    @if (!catalog.apps() && catalog.loading()) {
      <mat-progress-bar mode="indeterminate" />
    }
    @if (app(); as app) {
      <div class="vp-launch">
        <header class="vp-launch-head">
          <div class="vp-app-icon">
            <mat-icon>{{ app.icon }}</mat-icon>
          </div>
          <div>
            <h1>{{ app.title }}</h1>
            <p>{{ app.description }}</p>
          </div>
        </header>
        <div class="vp-launch-body">
          <div>
            <mat-card appearance="outlined" class="vp-launch-card">
              <mat-card-content>
                <vp-launch-form
                  [app]="app"
                  [cluster]="cluster.cluster()"
                  [submitting]="submitting()"
                  [serverErrors]="fieldErrors()"
                  [problem]="problem()"
                  [problemTitle]="problemTitle()"
                  (launch)="launch($event)"
                  (partitionChange)="partition.set($event)"
                >
                  <a mat-button formActions routerLink="/apps">Cancel</a>
                </vp-launch-form>
              </mat-card-content>
            </mat-card>
            <p class="vp-launch-note">
              <mat-icon>info</mat-icon>
              The desktop waits in Slurm's queue until a node has room. You can leave this page: its card
              keeps you posted, and the portal tells you when it is ready.
            </p>
          </div>
          <div>
            <vp-quota-usage [report]="quotas.report()" />
            <vp-cluster-overview
              [cluster]="cluster.cluster()"
              [error]="cluster.error()"
              [selected]="partition()"
            />
          </div>
        </div>
      </div>
    } @else if (catalog.apps()) {
      <vp-empty-state
        icon="block"
        title="You cannot launch this app"
        [message]="unavailable() ?? 'Checking…'"
        data-testid="app-unavailable"
      >
        <a mat-flat-button routerLink="/apps">Browse apps</a>
      </vp-empty-state>
    }
  `,
  styles: `
    .vp-back {
      margin: -8px 0 8px -12px;
    }
    .vp-launch-body {
      display: grid;
      grid-template-columns: minmax(0, 1fr) 300px;
      gap: 24px;
      align-items: start;
    }
    @media (max-width: 900px) {
      .vp-launch-body {
        grid-template-columns: 1fr;
      }
    }
    .vp-launch-head {
      display: flex;
      gap: 16px;
      align-items: center;
      margin-bottom: 20px;
    }
    .vp-launch-head h1 {
      margin: 0;
      font: var(--mat-sys-headline-small);
    }
    .vp-launch-head p {
      margin: 4px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-app-icon {
      flex: none;
      width: 56px;
      height: 56px;
      border-radius: 14px;
      display: grid;
      place-items: center;
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .vp-app-icon mat-icon {
      font-size: 32px;
      width: 32px;
      height: 32px;
    }
    .vp-launch-card {
      border-radius: 16px;
      padding: 12px 8px 4px;
    }
    .vp-launch-note {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
      margin-top: 12px;
    }
    .vp-launch-note mat-icon {
      font-size: 18px;
      width: 18px;
      height: 18px;
    }
  `,
})
export class LaunchPageComponent {
  protected readonly catalog = inject(CatalogService);
  protected readonly cluster = inject(ClusterService);
  private readonly store = inject(SessionStore);
  private readonly notifications = inject(BrowserNotifications);
  private readonly router = inject(Router);

  /** Route parameter. */
  readonly appId = input.required<string>();
  protected readonly app = computed(() => this.catalog.apps()?.find((app) => app.id === this.appId()));
  protected readonly submitting = signal(false);
  protected readonly fieldErrors = signal<FieldError[]>([]);
  protected readonly problem = signal<string | null>(null);
  protected readonly problemTitle = signal<string | null>(null);
  protected readonly partition = signal<string | null>(null);
  protected readonly quotas = inject(QuotaService);
  /** Why the route's app is not in this user's catalog, once the API has said. */
  protected readonly unavailable = signal<string | null>(null);

  constructor() {
    void this.catalog.load().then(() => {
      if (this.catalog.apps() && !this.app())
        void this.catalog.whyUnavailable(this.appId()).then((why) => this.unavailable.set(why));
    });
    void this.cluster.refresh();
    void this.quotas.refresh();
  }

  protected async launch(values: Record<string, FormFieldValue>): Promise<void> {
    // Asked now because a click is the only moment browsers allow it; not awaited.
    void this.notifications.request();
    this.submitting.set(true);
    this.problem.set(null);
    this.problemTitle.set(null);
    try {
      const session = await this.store.launch(this.appId(), values);
      await this.router.navigate(['/sessions'], { queryParams: { highlight: session.id } });
    } catch (error) {
      const problem = toApiProblem(error);
      if (problem.status === 400 && problem.fields.length) {
        this.fieldErrors.set(problem.fields);
        const known = new Set(this.app()?.form.map((field) => field.id));
        const other = problem.fields.filter((field) => !known.has(field.field));
        if (other.length)
          this.showProblem(
            'Check the form',
            other.map((field) => `${field.field}: ${field.message}`).join('\n'),
          );
      } else if (problem.status === 422) {
        // Slurm refused the job; the portal kept it as a failed session, which the store lists.
        if (problem.session) this.store.apply(problem.session);
        this.showProblem('Slurm refused this job', problem.message);
      } else if (problem.status === 409) {
        this.showProblem('Over your quota', `${problem.message}\nNothing was submitted.`);
      } else if (problem.status === 403) {
        this.showProblem('Not allowed', `${problem.message}\nNothing was submitted.`);
      } else if (problem.status === 503) {
        this.showProblem(
          'Slurm is not answering',
          `${problem.message}\nNothing was submitted. Try again in a moment.`,
        );
      } else {
        this.showProblem('The launch failed', problem.message);
      }
    } finally {
      this.submitting.set(false);
      void this.quotas.refresh();
    }
  }

  private showProblem(title: string, text: string): void {
    this.problemTitle.set(title);
    this.problem.set(text);
  }
}
