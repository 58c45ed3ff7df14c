// "My sessions": the user's sessions as live cards (Socket.IO via SessionStore): every live one
// first, then the most recent ended ones, and older ones a page at a time ("Show older sessions").
// Launching lands here with ?highlight=<id> so the new card stands out.
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterRenderEffect,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';
import { formatDuration, isLive, isTerminal, type SessionDto } from '@vizportal/session-domain';
import { CatalogService } from '../../shared/data-access/catalog.service';
import { toApiProblem } from '../../shared/data-access/api-error';
import { Clock } from '../../shared/data-access/clock';
import { confirmAction } from '../../shared/ui/confirm-dialog.component';
import { EmptyStateComponent } from '../../shared/ui/empty-state.component';
import { SessionStore } from '../../shared/data-access/session-store';
import { SessionCardComponent } from '../ui/session-card.component';
import { SessionLogDialogComponent, type SessionLogDialogData } from '../ui/session-log-dialog.component';

@Component({
  selector: 'vp-sessions-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    EmptyStateComponent,
    NgTemplateOutlet,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    RouterLink,
    SessionCardComponent,
  ],
  template: `
    <header class="vp-page-head">
      <div>
        <h1>My sessions</h1>
        <p class="vp-page-sub">{{ subtitle() }}</p>
      </div>
      <a mat-flat-button routerLink="/apps" data-testid="new-session"><mat-icon>add</mat-icon> New session</a>
    </header>

    @if (!store.loaded() && !store.loadError()) {
      <mat-progress-bar mode="indeterminate" />
    }
    @if (store.loadError(); as error) {
      <p class="vp-error" role="alert">
        <mat-icon>error</mat-icon> Your sessions could not be read: {{ error }}
        <button mat-button type="button" (click)="store.refresh()">Try again</button>
      </p>
    }

    @if (store.loaded() && store.sessions().length === 0) {
      <vp-empty-state
        icon="rocket_launch"
        title="No sessions yet"
        message="Pick an app, choose its resources, and it opens as a desktop in your browser once the cluster has room for it."
      >
        <a mat-flat-button routerLink="/apps" data-testid="empty-launch"
          ><mat-icon>apps</mat-icon> Browse apps</a
        >
      </vp-empty-state>
    }

    @if (live().length) {
      <section aria-labelledby="live-title">
        <h2 id="live-title" class="vp-section-title">
          Active <span class="vp-count">{{ live().length }}</span>
        </h2>
        <div class="vp-grid" data-testid="live-sessions">
          @for (session of live(); track session.id) {
            <ng-container *ngTemplateOutlet="card; context: { $implicit: session }" />
          }
        </div>
      </section>
    }
    @if (ended().length) {
      <section aria-labelledby="ended-title">
        <h2 id="ended-title" class="vp-section-title">
          Ended <span class="vp-count">{{ ended().length }}{{ store.hasOlder() ? '+' : '' }}</span>
        </h2>
        <div class="vp-grid" data-testid="ended-sessions">
          @for (session of ended(); track session.id) {
            <ng-container *ngTemplateOutlet="card; context: { $implicit: session }" />
          }
        </div>
        @if (store.hasOlder()) {
          <div class="vp-older">
            <button
              mat-stroked-button
              type="button"
              data-testid="older-sessions"
              [disabled]="store.loadingOlder()"
              (click)="showOlder()"
            >
              <mat-icon>history</mat-icon>
              {{ store.loadingOlder() ? 'Loading older sessions…' : 'Show older sessions' }}
            </button>
          </div>
        }
      </section>
    }

    <ng-template #card let-session>
      <vp-session-card
        [session]="session"
        [now]="clock.now()"
        [icon]="iconOf(session)"
        [settings]="settingsOf(session)"
        [highlighted]="session.id === highlighted()"
        [busy]="busy().has(session.id)"
        (stop)="stop(session)"
        (relaunch)="relaunch(session)"
        (remove)="remove(session)"
        (showLog)="showLog(session)"
        (extend)="extend(session, $event)"
        (keep)="keep(session)"
      />
    </ng-template>
  `,
  styles: `
    .vp-page-head {
      display: flex;
      align-items: flex-end;
      justify-content: space-between;
      gap: 16px;
      margin-bottom: 16px;
    }
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 0;
    }
    .vp-page-sub {
      margin: 4px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-section-title {
      font: var(--mat-sys-title-small);
      color: var(--mat-sys-on-surface-variant);
      text-transform: uppercase;
      letter-spacing: 0.06em;
      margin: 24px 0 12px;
      display: flex;
      align-items: center;
      gap: 8px;
    }
    .vp-count {
      font: var(--mat-sys-label-small);
      background: var(--mat-sys-surface-container-high);
      border-radius: 999px;
      padding: 1px 8px;
    }
    .vp-grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(330px, 1fr));
      gap: 16px;
    }
    .vp-error {
      display: flex;
      align-items: center;
      gap: 8px;
      color: var(--mat-sys-error);
    }
    .vp-older {
      display: flex;
      justify-content: center;
      margin: 24px 0 8px;
    }
  `,
})
export class SessionsPageComponent {
  protected readonly store = inject(SessionStore);
  protected readonly clock = inject(Clock);
  private readonly catalog = inject(CatalogService);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  /** ?highlight=<id>: the session just launched. */
  readonly highlight = input<string>();
  protected readonly highlighted = signal<string | null>(null);
  protected readonly busy = signal<ReadonlySet<string>>(new Set());

  protected readonly live = computed(() => this.store.sessions().filter((session) => isLive(session.state)));
  protected readonly ended = computed(() =>
    this.store.sessions().filter((session) => isTerminal(session.state)),
  );
  protected readonly subtitle = computed(() => {
    if (!this.store.loaded()) return 'Reading your sessions…';
    const running = this.live().filter((session) => session.state === 'running').length;
    const waiting = this.live().length - running;
    if (this.live().length === 0) return 'Nothing running right now.';
    const parts = [running ? `${running} running` : null, waiting ? `${waiting} waiting` : null].filter(
      Boolean,
    );
    return `${parts.join(', ')}. Cards update by themselves.`;
  });

  constructor() {
    void this.catalog.load();
    let scrolledTo: string | null = null;
    afterRenderEffect(() => {
      const id = this.highlight();
      if (!id || id === scrolledTo || !this.store.session(id)) return;
      scrolledTo = id;
      this.highlighted.set(id);
      this.host.nativeElement
        .querySelector(`[data-session-id="${CSS.escape(id)}"]`)
        ?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      // The ring fades after a while; the URL keeps the parameter harmlessly.
      setTimeout(() => this.highlighted.set(null), 6000);
    });
  }

  protected iconOf(session: SessionDto): string {
    return this.catalog.app(session.appId)?.icon ?? 'desktop_windows';
  }

  /** The session's answers with their form labels (the catalog knows them), in the form's order. */
  protected settingsOf(session: SessionDto): { label: string; value: string }[] {
    const fields = this.catalog.app(session.appId)?.form ?? [];
    const order = (id: string) => {
      const index = fields.findIndex((field) => field.id === id);
      return index === -1 ? fields.length : index;
    };
    return Object.entries(session.values)
      .sort(([a], [b]) => order(a) - order(b))
      .map(([id, value]) => ({
        label: fields.find((field) => field.id === id)?.label ?? id,
        value: typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value),
      }));
  }

  protected async stop(session: SessionDto): Promise<void> {
    if (session.state === 'running' || session.state === 'starting') {
      const confirmed = await confirmAction(this.dialog, {
        title: `Stop ${session.appTitle}?`,
        message: 'The desktop and everything open in it end now. Unsaved work is lost.',
        confirm: 'Stop',
        destructive: true,
      });
      if (!confirmed) return;
    }
    await this.act(session, () => this.store.stopSession(session.id), 'stopped');
  }

  protected async relaunch(session: SessionDto): Promise<void> {
    if (isLive(session.state)) {
      const confirmed = await confirmAction(this.dialog, {
        title: `Restart ${session.appTitle}?`,
        message: 'This session is stopped first, then a new one with the same settings is launched.',
        confirm: 'Restart',
        destructive: true,
      });
      if (!confirmed) return;
    }
    await this.act(session, async () => {
      const fresh = await this.store.relaunch(session.id);
      await this.router.navigate(['/sessions'], { queryParams: { highlight: fresh.id } });
    });
  }

  protected async keep(session: SessionDto): Promise<void> {
    await this.act(session, async () => {
      await this.store.keep(session.id);
      this.snackBar.open(`${session.appTitle} keeps running.`, undefined, { duration: 4000 });
    });
  }

  protected async extend(session: SessionDto, minutes: number): Promise<void> {
    await this.act(session, async () => {
      const extended = await this.store.extend(session.id, minutes);
      const limit =
        extended.timeLimitMinutes === null
          ? ''
          : `: its limit is now ${formatDuration(extended.timeLimitMinutes)}`;
      this.snackBar.open(`${session.appTitle} has ${formatDuration(minutes)} more${limit}.`, undefined, {
        duration: 4000,
      });
    });
  }

  protected async remove(session: SessionDto): Promise<void> {
    const confirmed = await confirmAction(this.dialog, {
      title: `Delete this ${session.appTitle} session?`,
      message: 'Its card and its output log are removed. This cannot be undone.',
      confirm: 'Delete',
      destructive: true,
    });
    if (!confirmed) return;
    await this.act(session, () => this.store.remove(session.id), 'deleted');
  }

  protected async showOlder(): Promise<void> {
    try {
      await this.store.loadOlder();
    } catch (error) {
      this.snackBar.open(`Older sessions could not be read: ${toApiProblem(error).message}`, 'OK', {
        duration: 8000,
      });
    }
  }

  protected showLog(session: SessionDto): void {
    this.dialog.open<SessionLogDialogComponent, SessionLogDialogData>(SessionLogDialogComponent, {
      data: { id: session.id, title: session.appTitle },
      maxWidth: '90vw',
    });
  }

  private async act(session: SessionDto, action: () => Promise<unknown>, done?: string): Promise<void> {
    this.busy.update((ids) => new Set(ids).add(session.id));
    try {
      await action();
      if (done) this.snackBar.open(`${session.appTitle} ${done}.`, undefined, { duration: 3000 });
    } catch (error) {
      this.snackBar.open(toApiProblem(error).message, 'OK', { duration: 8000 });
    } finally {
      this.busy.update((ids) => {
        const next = new Set(ids);
        next.delete(session.id);
        return next;
      });
    }
  }
}
