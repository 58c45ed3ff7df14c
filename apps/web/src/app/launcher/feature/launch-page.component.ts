// One app's launch page: its form, then POST /api/sessions. Success goes to the sessions page
// with the new card highlighted; a refusal stays here, at the fields (400) or above the button.
// The form starts from the user's last values for the app, and the Presets menu fills it from a
// saved preset; a saved value the form no longer takes is left out and named, never changed.
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import type { FormFieldValue, LaunchPresetDto } from '@vizportal/session-domain';
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
import { PresetsMenuComponent } from '../ui/presets-menu.component';
import { fittingValues } from '../data-access/launch-form';
import { LaunchSettingsService } from '../data-access/launch-settings.service';

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
    PresetsMenuComponent,
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
                <vp-presets-menu
                  [presets]="presets()"
                  [canSave]="currentValues() !== null"
                  (apply)="applyPreset($event)"
                  (save)="savePreset($event)"
                  (remove)="deletePreset($event)"
                />
                @if (settingsNote(); as note) {
                  <p class="vp-settings-note" role="status" data-testid="settings-note">
                    <mat-icon>info</mat-icon><span>{{ note }}</span>
                  </p>
                }
                <vp-launch-form
                  [app]="app"
                  [cluster]="cluster.cluster()"
                  [submitting]="submitting()"
                  [serverErrors]="fieldErrors()"
                  [problem]="problem()"
                  [problemTitle]="problemTitle()"
                  (launch)="launch($event)"
                  (partitionChange)="partition.set($event)"
                  [startValues]="startValues()"
                  (valuesChange)="currentValues.set($event)"
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
    .vp-settings-note {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      white-space: pre-line;
      margin: 12px 0 4px;
      padding: 10px 12px;
      border-radius: 12px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
      font: var(--mat-sys-body-medium);
    }
    .vp-settings-note mat-icon {
      flex: none;
    }
    vp-presets-menu {
      display: block;
      margin-bottom: 16px;
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
  private readonly settings = inject(LaunchSettingsService);
  protected readonly presets = signal<LaunchPresetDto[]>([]);
  /** Saved values for the form to take (a new object each time). */
  protected readonly startValues = signal<Record<string, FormFieldValue> | null>(null);
  /** What a launch would send now, null while the form has a failed check. */
  protected readonly currentValues = signal<Record<string, FormFieldValue> | null>(null);
  /** What happened to saved settings: what was reset or left out, saved, deleted, refused. */
  protected readonly settingsNote = signal<string | null>(null);

  constructor() {
    void this.catalog.load().then(() => {
      if (this.app()) void this.loadSettings();
      else if (this.catalog.apps())
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

  /** The last values that still fit start the form; the others keep their defaults, and are named. */
  private async loadSettings(): Promise<void> {
    const app = this.app();
    if (!app) return;
    try {
      const settings = await this.settings.load(app.id);
      this.presets.set(settings.presets);
      if (!settings.last) return;
      const { values, misfits } = fittingValues(app.form, settings.last);
      this.startValues.set(values);
      if (misfits.length)
        this.settingsNote.set(
          `Your last values for ${labels(misfits)} no longer fit this app's form: ${misfits.length === 1 ? 'it starts' : 'they start'} from the default.`,
        );
    } catch (error) {
      // The form works without saved settings: say so, and carry on from the defaults.
      this.settingsNote.set(`Your saved settings could not be read: ${toApiProblem(error).message}`);
    }
  }

  /** Applies what fits; what does not is named with the API's sentences, and left as it was. */
  protected applyPreset(preset: LaunchPresetDto): void {
    const app = this.app();
    if (!app) return;
    const { values, misfits } = fittingValues(app.form, preset.values);
    this.startValues.set({ ...values });
    const reasons = preset.problems.length
      ? preset.problems
      : misfits.map((field) => `${field.label} no longer fits.`);
    this.settingsNote.set(
      reasons.length || misfits.length
        ? [
            `Preset "${preset.name}" no longer fits this app as saved:`,
            ...reasons,
            ...(misfits.length ? [`Not applied, kept as it was: ${labels(misfits)}.`] : []),
          ].join('\n')
        : `Preset "${preset.name}" applied.`,
    );
  }

  protected async savePreset(name: string): Promise<void> {
    const values = this.currentValues();
    if (!values) return;
    try {
      const saved = await this.settings.savePreset(this.appId(), name, values);
      this.presets.update((presets) =>
        [...presets.filter((preset) => preset.name !== saved.name), saved].sort((a, b) =>
          a.name.localeCompare(b.name),
        ),
      );
      this.settingsNote.set(`Saved as preset "${saved.name}".`);
    } catch (error) {
      this.settingsNote.set(`The preset was not saved: ${toApiProblem(error).message}`);
    }
  }

  protected async deletePreset(preset: LaunchPresetDto): Promise<void> {
    try {
      await this.settings.deletePreset(this.appId(), preset.name);
      this.presets.update((presets) => presets.filter((candidate) => candidate.name !== preset.name));
      this.settingsNote.set(`Preset "${preset.name}" deleted.`);
    } catch (error) {
      this.settingsNote.set(`The preset was not deleted: ${toApiProblem(error).message}`);
    }
  }

  private showProblem(title: string, text: string): void {
    this.problemTitle.set(title);
    this.problem.set(text);
  }
}

function labels(fields: { label: string }[]): string {
  return fields.map((field) => field.label).join(', ');
}
