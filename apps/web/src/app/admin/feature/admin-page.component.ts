// The admin page (administrators only, behind adminGuard), one tab each: every live session across
// users, live over the socket (an admin's SessionStore holds everyone's), with who has it open and
// Stop; the local accounts (create, disable, admin, groups, quota override); the cluster's
// partitions and nodes; and the audit log, filtered, paged with "Older" and downloadable as CSV.
// The other tabs read their data when the page opens and again on their Refresh button.
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators, type ValidatorFn } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule, type MatSlideToggleChange } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTabsModule } from '@angular/material/tabs';
import { formatDuration, isLive, type SessionDto } from '@vizportal/session-domain';
import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  QUOTA_LABELS,
  QUOTA_NAMES,
  type AuditAction,
  type AuditEventDto,
  type AuditOutcome,
  type QuotaName,
  type QuotaOverride,
} from '@vizportal/site-policy';
import { toApiProblem } from '../../shared/data-access/api-error';
import { AuthStore } from '../../shared/data-access/auth.store';
import { Clock } from '../../shared/data-access/clock';
import { ClusterService } from '../../shared/data-access/cluster.service';
import { SessionStore } from '../../shared/data-access/session-store';
import { minutesLeft } from '../../shared/data-access/time-format';
import { ClusterTablesComponent } from '../../shared/ui/cluster-tables.component';
import { confirmAction } from '../../shared/ui/confirm-dialog.component';
import { EmptyStateComponent } from '../../shared/ui/empty-state.component';
import { StateChipComponent } from '../../shared/ui/state-chip.component';
import { AdminApi, type AccountChanges, type AdminUser } from '../data-access/admin-api.service';

/** The words of a quota in a row's summary ("CPUs 32 · GPUs no limit"). */
const QUOTA_SHORT: Readonly<Record<QuotaName, string>> = {
  liveSessions: 'sessions',
  cpus: 'CPUs',
  gpus: 'GPUs',
  sessionHours: 'hours',
};
// Only session-hours may be fractional; the API refuses 1.5 CPUs.
const WHOLE: ValidatorFn = Validators.pattern(/^\d+$/);

type LimitControls = Record<QuotaName, FormControl<number | null>>;
type UnlimitedControls = Record<QuotaName, FormControl<boolean>>;
type EditForm = FormGroup<{
  groups: FormControl<string>;
  limits: FormGroup<LimitControls>;
  unlimited: FormGroup<UnlimitedControls>;
}>;

@Component({
  selector: 'vp-admin-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    ClusterTablesComponent,
    EmptyStateComponent,
    StateChipComponent,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSlideToggleModule,
    MatTabsModule,
  ],
  template: `
    <h1>Administration</h1>
    <mat-tab-group mat-stretch-tabs="false" mat-align-tabs="start">
      <mat-tab>
        <ng-template mat-tab-label>
          <span data-testid="admin-tab-sessions">Live sessions ({{ liveSessions()?.length ?? '…' }})</span>
        </ng-template>
        <div class="vp-bar">
          <p>Every session running or waiting, of every user, as it changes.</p>
          <button mat-stroked-button type="button" (click)="store.refresh()">
            <mat-icon>refresh</mat-icon> Refresh
          </button>
        </div>
        @if (store.loadError(); as error) {
          <p class="vp-error" role="alert">Sessions could not be read: {{ error }}</p>
        }
        @if (liveSessions(); as sessions) {
          @if (sessions.length === 0) {
            <p class="vp-none">No session is running or waiting.</p>
          } @else {
            <table class="vp-table" data-testid="admin-sessions">
              <thead>
                <tr>
                  <th>User</th>
                  <th>App</th>
                  <th>State</th>
                  <th>Node</th>
                  <th>Time left</th>
                  <th>Connected</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                @for (session of sessions; track session.id) {
                  <tr data-testid="admin-session-row" [attr.data-session-id]="session.id">
                    <td>{{ session.owner }}</td>
                    <td>{{ session.appTitle }}</td>
                    <td><vp-state-chip [state]="session.state" /></td>
                    <td>{{ session.node ?? '—' }}</td>
                    <td>{{ timeLeft(session) }}</td>
                    <td data-testid="admin-session-viewers" [attr.title]="viewersSince(session)">
                      {{ viewers(session) }}
                    </td>
                    <td>
                      <button
                        mat-stroked-button
                        type="button"
                        data-testid="admin-stop"
                        [disabled]="!session.canStop || stopping().has(session.id)"
                        (click)="stop(session)"
                      >
                        Stop
                      </button>
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          }
        }
      </mat-tab>

      <mat-tab>
        <ng-template mat-tab-label><span data-testid="admin-tab-users">Users</span></ng-template>
        @if (headerMode() || api.accountsElsewhere()) {
          <vp-empty-state
            icon="badge"
            title="Accounts live with your single sign-on provider"
            message="This portal signs users in through a single sign-on proxy: create, disable and change accounts there."
          />
        } @else {
          <form class="vp-row" [formGroup]="createForm" (ngSubmit)="create()" data-testid="admin-create-user">
            <mat-form-field subscriptSizing="dynamic">
              <mat-label>User name</mat-label>
              <input
                matInput
                formControlName="username"
                autocomplete="off"
                data-testid="admin-new-username"
              />
              <mat-hint>Also the Unix account its jobs run as</mat-hint>
            </mat-form-field>
            <mat-form-field subscriptSizing="dynamic">
              <mat-label>Password</mat-label>
              <input
                matInput
                type="password"
                formControlName="password"
                autocomplete="new-password"
                data-testid="admin-new-password"
              />
            </mat-form-field>
            <mat-checkbox formControlName="isAdmin">Administrator</mat-checkbox>
            <button mat-flat-button type="submit" [disabled]="creating()" data-testid="admin-create">
              <mat-icon>person_add</mat-icon> Create account
            </button>
          </form>
          @if (createError(); as error) {
            <p class="vp-error" role="alert" data-testid="admin-create-error">{{ error }}</p>
          }
          @if (api.usersError(); as error) {
            <p class="vp-error" role="alert">Accounts could not be read: {{ error }}</p>
          }
          @if (api.users(); as users) {
            <table class="vp-table" data-testid="admin-users">
              <thead>
                <tr>
                  <th>User</th>
                  <th>Created</th>
                  <th>Groups</th>
                  <th>Quota override</th>
                  <th>Admin</th>
                  <th>Disabled</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                @for (user of users; track user.username) {
                  <tr
                    data-testid="admin-user-row"
                    [attr.data-username]="user.username"
                    [class.vp-off]="user.disabled"
                  >
                    <td>
                      {{ user.username }}
                      @if (isSelf(user)) {
                        <span class="vp-tag">you</span>
                      }
                    </td>
                    <td>{{ formatDate(user.createdAt) }}</td>
                    <td>{{ user.groups.join(', ') || '—' }}</td>
                    <td data-testid="admin-user-quota">{{ describeOverride(user.quotaOverride) }}</td>
                    <td>
                      <mat-slide-toggle
                        data-testid="admin-user-admin"
                        [checked]="user.isAdmin"
                        [disabled]="isSelf(user) || busyUsers().has(user.username)"
                        [attr.title]="
                          isSelf(user) ? 'Another administrator can change your own account' : null
                        "
                        [aria-label]="'Administrator: ' + user.username"
                        (change)="setAdmin(user, $event)"
                      />
                    </td>
                    <td>
                      <mat-slide-toggle
                        data-testid="admin-user-disable"
                        [checked]="user.disabled"
                        [disabled]="isSelf(user) || busyUsers().has(user.username)"
                        [aria-label]="'Disabled: ' + user.username"
                        (change)="setDisabled(user, $event)"
                      />
                    </td>
                    <td>
                      <button
                        mat-icon-button
                        type="button"
                        data-testid="admin-user-edit"
                        [attr.aria-label]="'Groups and quotas of ' + user.username"
                        (click)="edit(user)"
                      >
                        <mat-icon>edit</mat-icon>
                      </button>
                    </td>
                  </tr>
                  @if (editing(); as editor) {
                    @if (editor.username === user.username) {
                      <tr class="vp-edit">
                        <td colspan="7">
                          <form
                            class="vp-row"
                            [formGroup]="editor.form"
                            (ngSubmit)="saveEdit(user, editor.form)"
                          >
                            <mat-form-field class="vp-wide">
                              <mat-label>Groups</mat-label>
                              <input
                                matInput
                                [formControl]="editor.form.controls.groups"
                                data-testid="admin-user-groups"
                              />
                              <mat-hint>Unix groups, comma-separated</mat-hint>
                            </mat-form-field>
                            @for (name of quotaNames; track name) {
                              <div class="vp-quota">
                                <mat-form-field>
                                  <mat-label>{{ quotaLabels[name] }}</mat-label>
                                  <input
                                    matInput
                                    type="number"
                                    min="0"
                                    [step]="name === 'sessionHours' ? 'any' : 1"
                                    placeholder="site policy"
                                    [formControl]="editor.form.controls.limits.controls[name]"
                                    [attr.data-testid]="'admin-quota-' + name"
                                  />
                                  <mat-error>{{
                                    name === 'sessionHours' ? '0 or more' : 'A whole number, 0 or more'
                                  }}</mat-error>
                                </mat-form-field>
                                <mat-checkbox
                                  [formControl]="editor.form.controls.unlimited.controls[name]"
                                  [attr.data-testid]="'admin-unlimited-' + name"
                                  >No limit</mat-checkbox
                                >
                              </div>
                            }
                            <p class="vp-hint">Blank: the site policy's limit applies.</p>
                            <div class="vp-row">
                              <button
                                mat-flat-button
                                type="submit"
                                data-testid="admin-user-save"
                                [disabled]="busyUsers().has(user.username)"
                              >
                                Save
                              </button>
                              <button
                                mat-stroked-button
                                type="button"
                                data-testid="admin-user-clear-override"
                                [disabled]="user.quotaOverride === null || busyUsers().has(user.username)"
                                (click)="clearOverride(user)"
                              >
                                Clear override
                              </button>
                              <button mat-button type="button" (click)="editing.set(null)">Cancel</button>
                            </div>
                          </form>
                        </td>
                      </tr>
                    }
                  }
                }
              </tbody>
            </table>
          }
        }
      </mat-tab>

      <mat-tab>
        <ng-template mat-tab-label><span data-testid="admin-tab-cluster">Cluster</span></ng-template>
        <div class="vp-bar">
          <p>Partitions and nodes as Slurm reports them.</p>
          <button mat-stroked-button type="button" (click)="cluster.refresh()">
            <mat-icon>refresh</mat-icon> Refresh
          </button>
        </div>
        @if (cluster.error(); as error) {
          <p class="vp-error" role="alert">The cluster could not be read: {{ error }}</p>
        }
        @if (cluster.cluster(); as info) {
          <vp-cluster-tables [partitions]="info.partitions" [nodes]="info.nodes" />
        }
      </mat-tab>

      <mat-tab>
        <ng-template mat-tab-label><span data-testid="admin-tab-audit">Audit log</span></ng-template>
        <form class="vp-row" [formGroup]="auditForm" (ngSubmit)="search()" data-testid="admin-audit-filters">
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>User</mat-label>
            <input matInput formControlName="user" data-testid="admin-audit-user" />
            <mat-hint>Who acted, or was acted on</mat-hint>
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>Action</mat-label>
            <select matNativeControl formControlName="action" data-testid="admin-audit-action">
              <option [ngValue]="null">Any</option>
              @for (action of auditActions; track action) {
                <option [ngValue]="action">{{ action }}</option>
              }
            </select>
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>Outcome</mat-label>
            <select matNativeControl formControlName="outcome" data-testid="admin-audit-outcome">
              <option [ngValue]="null">Any</option>
              @for (outcome of auditOutcomes; track outcome) {
                <option [ngValue]="outcome">{{ outcome }}</option>
              }
            </select>
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>Session id</mat-label>
            <input matInput formControlName="session" data-testid="admin-audit-session" />
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>From</mat-label>
            <input matInput type="datetime-local" formControlName="from" data-testid="admin-audit-from" />
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>To</mat-label>
            <input matInput type="datetime-local" formControlName="to" data-testid="admin-audit-to" />
          </mat-form-field>
          <button mat-flat-button type="submit" data-testid="admin-audit-search">
            <mat-icon>search</mat-icon> Search
          </button>
          <button mat-button type="button" (click)="clearFilters()">Clear</button>
          <a mat-stroked-button [href]="csvUrl()" download data-testid="admin-audit-csv">
            <mat-icon>download</mat-icon> Download CSV
          </a>
        </form>
        @if (api.auditError(); as error) {
          <p class="vp-error" role="alert">The audit log could not be read: {{ error }}</p>
        }
        @if (api.auditEvents(); as events) {
          @if (events.length === 0) {
            <p class="vp-none">No event matches.</p>
          } @else {
            <table class="vp-table" data-testid="admin-audit">
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Actor</th>
                  <th>Action</th>
                  <th>Outcome</th>
                  <th>Address</th>
                  <th>Session</th>
                  <th>Subject</th>
                  <th>Details</th>
                </tr>
              </thead>
              <tbody>
                @for (event of events; track event.id) {
                  <tr data-testid="admin-audit-row">
                    <td [title]="event.at">{{ formatTime(event.at) }}</td>
                    <td>{{ event.actor }}</td>
                    <td>{{ event.action }}</td>
                    <td [class]="'vp-' + event.outcome">{{ event.outcome }}</td>
                    <td>{{ event.address ?? '' }}</td>
                    <td [title]="event.sessionId ?? ''">{{ event.sessionId?.slice(0, 8) ?? '' }}</td>
                    <td>{{ event.subject ?? '' }}</td>
                    <td class="vp-details" [title]="json(event)">{{ shortDetails(event) }}</td>
                  </tr>
                }
              </tbody>
            </table>
          }
          @if (api.auditNext()) {
            <button
              mat-stroked-button
              type="button"
              data-testid="admin-audit-older"
              [disabled]="api.auditLoading()"
              (click)="api.olderAudit()"
            >
              <mat-icon>history</mat-icon> {{ api.auditLoading() ? 'Loading…' : 'Older' }}
            </button>
          }
        }
      </mat-tab>
    </mat-tab-group>
  `,
  styles: `
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 0 0 8px;
    }
    h2 {
      font: var(--mat-sys-title-medium);
      margin: 16px 0 8px;
    }
    .vp-bar {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 16px;
    }
    .vp-bar p,
    .vp-none,
    .vp-hint {
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 16px;
      margin: 16px 0;
    }
    .vp-wide {
      flex: 1 1 100%;
    }
    .vp-quota {
      display: flex;
      flex-direction: column;
    }
    .vp-hint {
      flex: 1 1 100%;
      margin: 0;
    }
    .vp-error {
      color: var(--mat-sys-error);
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
    .vp-edit td {
      background: var(--mat-sys-surface-container-low);
    }
    .vp-tag {
      font: var(--mat-sys-label-small);
      background: var(--mat-sys-surface-container-high);
      border-radius: 999px;
      padding: 1px 8px;
      margin-left: 4px;
    }
    .vp-details {
      font-family: monospace;
      font-size: 12px;
    }
    .vp-refused {
      color: #7a4a00;
    }
    .vp-failed {
      color: var(--mat-sys-error);
    }
  `,
})
export class AdminPageComponent {
  protected readonly api = inject(AdminApi);
  protected readonly store = inject(SessionStore);
  protected readonly cluster = inject(ClusterService);
  private readonly auth = inject(AuthStore);
  private readonly clock = inject(Clock);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly quotaNames = QUOTA_NAMES;
  protected readonly quotaLabels = QUOTA_LABELS;
  protected readonly auditActions = AUDIT_ACTIONS;
  protected readonly auditOutcomes = AUDIT_OUTCOMES;
  /** Every user's live sessions, newest first (the store's order); null until first read. */
  protected readonly liveSessions = computed(() =>
    this.store.loaded() ? this.store.sessions().filter((session) => isLive(session.state)) : null,
  );

  /** AUTH_MODE=header: no local accounts to list (/api/users answers 404). */
  protected readonly headerMode = computed(() => this.auth.user()?.authMode === 'header');
  protected readonly stopping = signal<ReadonlySet<string>>(new Set());
  protected readonly busyUsers = signal<ReadonlySet<string>>(new Set());
  protected readonly creating = signal(false);
  protected readonly createError = signal<string | null>(null);
  /** The account whose groups and quotas are open for editing, with its form. */
  protected readonly editing = signal<{ username: string; form: EditForm } | null>(null);
  protected readonly csvUrl = computed(() => this.api.auditCsvUrl(this.api.auditFilters()));

  protected readonly createForm = new FormGroup({
    username: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    password: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    isAdmin: new FormControl(false, { nonNullable: true }),
  });

  protected readonly auditForm = new FormGroup({
    user: new FormControl('', { nonNullable: true }),
    action: new FormControl<AuditAction | null>(null),
    outcome: new FormControl<AuditOutcome | null>(null),
    session: new FormControl('', { nonNullable: true }),
    from: new FormControl('', { nonNullable: true }),
    to: new FormControl('', { nonNullable: true }),
  });

  constructor() {
    if (!this.headerMode()) void this.api.refreshUsers();
    void this.cluster.refresh();
    void this.api.searchAudit({});
  }

  protected timeLeft(session: SessionDto): string {
    const left = minutesLeft(session, this.clock.now());
    if (left !== null) return formatDuration(left, 'compact');
    if (session.timeLimitMinutes === null) return '—';
    return `${formatDuration(session.timeLimitMinutes, 'compact')} once started`;
  }

  /** Who has the desktop open: "No", or each user once, with how many windows when more than one. */
  protected viewers(session: SessionDto): string {
    const viewers = this.store.viewers().get(session.id) ?? [];
    if (viewers.length === 0) return 'No';
    const windows = new Map<string, number>();
    for (const { username } of viewers) windows.set(username, (windows.get(username) ?? 0) + 1);
    return [...windows]
      .map(([username, count]) => (count > 1 ? `${username} ×${count}` : username))
      .join(', ');
  }

  protected viewersSince(session: SessionDto): string | null {
    const viewers = this.store.viewers().get(session.id) ?? [];
    if (viewers.length === 0) return null;
    return viewers
      .map(({ username, openedAt }) => `${username} since ${this.formatTime(openedAt)}`)
      .join('\n');
  }

  protected async stop(session: SessionDto): Promise<void> {
    const started = session.state === 'running' || session.state === 'starting';
    const confirmed = await confirmAction(this.dialog, {
      title: `Stop ${session.owner}'s ${session.appTitle}?`,
      message: started
        ? `The desktop and everything open in it end now; ${session.owner} loses any unsaved work.`
        : `The job leaves the queue; ${session.owner} can launch it again.`,
      confirm: 'Stop session',
      destructive: true,
    });
    if (!confirmed) return;
    this.stopping.update((ids) => new Set(ids).add(session.id));
    try {
      await this.store.stopSession(session.id);
      this.snackBar.open(`${session.owner}'s ${session.appTitle} stopped.`, undefined, { duration: 3000 });
    } catch (error) {
      this.snackBar.open(`Could not stop it: ${toApiProblem(error).message}`, 'OK', { duration: 8000 });
    } finally {
      this.stopping.update((ids) => without(ids, session.id));
    }
  }

  protected isSelf(user: AdminUser): boolean {
    // The API lets an admin lock themself out; the page does not offer it.
    return this.auth.user()?.username === user.username;
  }

  protected async create(): Promise<void> {
    if (this.createForm.invalid) {
      this.createForm.markAllAsTouched();
      return;
    }
    this.creating.set(true);
    this.createError.set(null);
    try {
      const user = await this.api.createUser(this.createForm.getRawValue());
      this.createForm.reset();
      this.snackBar.open(`Account ${user.username} created.`, undefined, { duration: 3000 });
    } catch (error) {
      this.createError.set(toApiProblem(error).message);
    } finally {
      this.creating.set(false);
    }
  }

  protected async setAdmin(user: AdminUser, change: MatSlideToggleChange): Promise<void> {
    const ok = await this.changeUser(
      user,
      { isAdmin: change.checked },
      change.checked ? 'now an administrator' : 'no longer an administrator',
    );
    if (!ok) change.source.checked = !change.checked;
  }

  protected async setDisabled(user: AdminUser, change: MatSlideToggleChange): Promise<void> {
    if (change.checked) {
      const confirmed = await confirmAction(this.dialog, {
        title: `Disable ${user.username}?`,
        message: `${user.username} is logged out everywhere and can no longer log in or connect to a desktop. Sessions already running keep running: stop them on the Live sessions tab.`,
        confirm: 'Disable',
        destructive: true,
      });
      if (!confirmed) {
        change.source.checked = false;
        return;
      }
    }
    const ok = await this.changeUser(
      user,
      { disabled: change.checked },
      change.checked ? 'disabled' : 'enabled',
    );
    if (!ok) change.source.checked = !change.checked;
  }

  protected edit(user: AdminUser): void {
    if (this.editing()?.username === user.username) {
      this.editing.set(null);
      return;
    }
    this.editing.set({ username: user.username, form: editFormFor(user) });
  }

  protected async saveEdit(user: AdminUser, form: EditForm): Promise<void> {
    if (form.invalid) {
      form.markAllAsTouched();
      return;
    }
    const changes: AccountChanges = {};
    const groups = parseGroups(form.controls.groups.value);
    if (!sameGroups(groups, user.groups)) changes.groups = groups;
    const override = overrideFrom(form);
    if (!sameOverride(override, user.quotaOverride)) changes.quotaOverride = override;
    // Only what changed is sent, so the audit log records what the admin actually changed.
    if (Object.keys(changes).length === 0 || (await this.changeUser(user, changes, 'saved'))) {
      this.editing.set(null);
    }
  }

  protected async clearOverride(user: AdminUser): Promise<void> {
    if (await this.changeUser(user, { quotaOverride: null }, 'the site policy applies'))
      this.editing.set(null);
  }

  protected search(): void {
    const { user, action, outcome, session, from, to } = this.auditForm.getRawValue();
    void this.api.searchAudit({ user, action, outcome, session, from: toIso(from), to: toIso(to) });
  }

  protected clearFilters(): void {
    this.auditForm.reset();
    void this.api.searchAudit({});
  }

  protected describeOverride(override: QuotaOverride | null): string {
    const parts = QUOTA_NAMES.filter((name) => override?.[name] !== undefined).map(
      (name) => `${QUOTA_SHORT[name]} ${override?.[name] ?? 'no limit'}`,
    );
    return parts.length > 0 ? parts.join(' · ') : 'site policy';
  }

  protected formatDate(iso: string): string {
    return new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });
  }

  protected formatTime(iso: string): string {
    return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  }

  protected json(event: AuditEventDto): string {
    return JSON.stringify(event.details, null, 1);
  }

  protected shortDetails(event: AuditEventDto): string {
    const text = JSON.stringify(event.details);
    if (text === '{}') return '';
    return text.length > 80 ? `${text.slice(0, 79)}…` : text;
  }

  private async changeUser(user: AdminUser, changes: AccountChanges, done: string): Promise<boolean> {
    this.busyUsers.update((names) => new Set(names).add(user.username));
    try {
      await this.api.updateUser(user.username, changes);
      this.snackBar.open(`${user.username}: ${done}.`, undefined, { duration: 3000 });
      return true;
    } catch (error) {
      this.snackBar.open(`${user.username} could not be changed: ${toApiProblem(error).message}`, 'OK', {
        duration: 8000,
      });
      return false;
    } finally {
      this.busyUsers.update((names) => without(names, user.username));
    }
  }
}

function editFormFor(user: AdminUser): EditForm {
  const override = user.quotaOverride ?? {};
  const limits = {} as LimitControls;
  const unlimited = {} as UnlimitedControls;
  for (const name of QUOTA_NAMES) {
    const value = override[name];
    limits[name] = new FormControl<number | null>(typeof value === 'number' ? value : null, {
      validators: name === 'sessionHours' ? [Validators.min(0)] : [Validators.min(0), WHOLE],
    });
    unlimited[name] = new FormControl(value === null, { nonNullable: true });
    // "No limit" wins over a number: the input is greyed out while it is ticked.
    if (value === null) limits[name].disable();
    unlimited[name].valueChanges.subscribe((off) => (off ? limits[name].disable() : limits[name].enable()));
  }
  return new FormGroup({
    groups: new FormControl(user.groups.join(', '), { nonNullable: true }),
    limits: new FormGroup(limits),
    unlimited: new FormGroup(unlimited),
  });
}

/** The form's override: a number, null for "no limit", absent for blank; null when all are blank. */
function overrideFrom(form: EditForm): QuotaOverride | null {
  const limits = form.controls.limits.getRawValue();
  const unlimited = form.controls.unlimited.getRawValue();
  const override: QuotaOverride = {};
  for (const name of QUOTA_NAMES) {
    if (unlimited[name]) override[name] = null;
    else if (limits[name] !== null) override[name] = Number(limits[name]);
  }
  return Object.keys(override).length > 0 ? override : null;
}

function sameOverride(a: QuotaOverride | null, b: QuotaOverride | null): boolean {
  return QUOTA_NAMES.every((name) => a?.[name] === b?.[name]);
}

function parseGroups(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((group) => group.length > 0))];
}

function sameGroups(a: readonly string[], b: readonly string[]): boolean {
  const sorted = (list: readonly string[]) => [...new Set(list)].sort().join('\n');
  return sorted(a) === sorted(b);
}

/** A datetime-local value (the browser's zone) as ISO 8601; undefined when blank or unreadable. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

function without<T>(set: ReadonlySet<T>, item: T): ReadonlySet<T> {
  const next = new Set(set);
  next.delete(item);
  return next;
}
