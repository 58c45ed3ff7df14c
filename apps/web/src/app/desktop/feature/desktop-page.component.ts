// The desktop view (lazy route /sessions/:id/desktop): the session's VNC desktop filling the page,
// with scaling, picture quality, clipboard, Ctrl-Alt-Del and full screen. It follows the session
// over the socket: an overlay while it is queued or starting, connection as soon as it runs,
// reconnection (with a fresh token) when the link drops, and a clear end when the session ends.
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import { type SessionDto, formatDuration, isTerminal } from '@vizportal/session-domain';
import { SessionStore } from '../../shared/data-access/session-store';
import { SessionsApi } from '../../shared/data-access/sessions-api.service';
import { StateChipComponent } from '../../shared/ui/state-chip.component';
import { toApiProblem } from '../../shared/data-access/api-error';
import { Clock } from '../../shared/data-access/clock';
import { formatClockTime, minutesLeft } from '../../shared/data-access/time-format';
import {
  DesktopPreferencesStore,
  QUALITY_PRESETS,
  type QualityPreset,
  type ViewMode,
} from '../data-access/desktop-preferences';
import { VncConnection } from '../data-access/vnc-connection';
import { ClipboardPanelComponent } from '../ui/clipboard-panel.component';

type Overlay = 'loading' | 'missing' | 'waiting' | 'connecting' | 'reconnecting' | 'failed' | 'ended' | null;

@Component({
  selector: 'vp-desktop-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ClipboardPanelComponent,
    MatButtonModule,
    MatButtonToggleModule,
    MatIconModule,
    MatMenuModule,
    MatProgressSpinnerModule,
    MatTooltipModule,
    RouterLink,
    StateChipComponent,
  ],
  host: { class: 'vp-desktop', '[attr.data-vnc-status]': 'vnc.status()' },
  template: `
    <div class="vp-bar">
      <a
        mat-icon-button
        routerLink="/sessions"
        matTooltip="Back to my sessions"
        aria-label="Back to my sessions"
        ><mat-icon>arrow_back</mat-icon></a
      >
      @if (session(); as s) {
        <div class="vp-bar-title">
          <strong>{{ s.appTitle }}</strong>
          <vp-state-chip [state]="s.state" />
          @if (s.state === 'running') {
            <span class="vp-bar-facts"
              >{{ s.node }}
              @if (timeLeft() !== null) {
                · {{ timeLeft() }} left
              }
            </span>
          }
        </div>
      }
      <span class="vp-spacer"></span>
      <span class="vp-link" [class.vp-link-up]="vnc.status() === 'connected'" data-testid="vnc-status">
        <span class="vp-dot"></span>{{ statusWords() }}
      </span>
      <mat-button-toggle-group
        hideSingleSelectionIndicator
        [value]="preferences().viewMode"
        (change)="setViewMode($event.value)"
        aria-label="How the desktop fits the window"
        class="vp-modes"
      >
        <mat-button-toggle value="fit" matTooltip="Scale to fit the window"
          ><mat-icon>fit_screen</mat-icon></mat-button-toggle
        >
        <mat-button-toggle value="remote" matTooltip="Resize the desktop to the window"
          ><mat-icon>aspect_ratio</mat-icon></mat-button-toggle
        >
        <mat-button-toggle value="actual" matTooltip="Actual size (scroll)"
          ><mat-icon>crop_free</mat-icon></mat-button-toggle
        >
      </mat-button-toggle-group>
      <button
        mat-icon-button
        type="button"
        [matMenuTriggerFor]="qualityMenu"
        matTooltip="Picture quality"
        aria-label="Picture quality"
      >
        <mat-icon>high_quality</mat-icon>
      </button>
      <mat-menu #qualityMenu="matMenu">
        @for (preset of qualityPresets; track preset.id) {
          <button mat-menu-item type="button" (click)="setQuality(preset.id)">
            <mat-icon>{{
              preferences().quality === preset.id ? 'radio_button_checked' : 'radio_button_unchecked'
            }}</mat-icon>
            <span
              >{{ preset.label }} <small class="vp-menu-hint">{{ preset.hint }}</small></span
            >
          </button>
        }
      </mat-menu>
      <button
        mat-icon-button
        type="button"
        (click)="clipboardOpen.set(!clipboardOpen())"
        [class.vp-on]="clipboardOpen()"
        matTooltip="Clipboard"
        aria-label="Clipboard"
        data-testid="toggle-clipboard"
      >
        <mat-icon>content_paste</mat-icon>
      </button>
      <button
        mat-icon-button
        type="button"
        (click)="vnc.sendCtrlAltDel()"
        [disabled]="vnc.status() !== 'connected'"
        matTooltip="Send Ctrl-Alt-Del"
        aria-label="Send Ctrl-Alt-Del"
      >
        <mat-icon>keyboard</mat-icon>
      </button>
      <button
        mat-icon-button
        type="button"
        (click)="toggleFullscreen()"
        [matTooltip]="fullscreen() ? 'Leave full screen' : 'Full screen'"
        aria-label="Full screen"
      >
        <mat-icon>{{ fullscreen() ? 'fullscreen_exit' : 'fullscreen' }}</mat-icon>
      </button>
    </div>

    <div class="vp-stage">
      <div class="vp-screen-wrap">
        <div #screen class="vp-screen" data-testid="vnc-screen"></div>
        @if (overlay(); as kind) {
          <div
            class="vp-overlay"
            [class.vp-overlay-soft]="kind === 'reconnecting'"
            data-testid="desktop-overlay"
            [attr.data-overlay]="kind"
          >
            <div class="vp-overlay-box">
              @switch (kind) {
                @case ('loading') {
                  <mat-progress-spinner mode="indeterminate" diameter="40" />
                  <p>Opening your session…</p>
                }
                @case ('missing') {
                  <mat-icon class="vp-overlay-icon">search_off</mat-icon>
                  <h2>No such session</h2>
                  <p>It may have been deleted.</p>
                  <a mat-flat-button routerLink="/sessions">My sessions</a>
                }
                @case ('waiting') {
                  <mat-progress-spinner mode="indeterminate" diameter="40" />
                  <h2>{{ session()?.headline }}</h2>
                  <p>{{ waitingDetail() }}</p>
                  <p class="vp-overlay-hint">This page connects by itself when the desktop is ready.</p>
                }
                @case ('connecting') {
                  <mat-progress-spinner mode="indeterminate" diameter="40" />
                  <h2>Connecting to the desktop…</h2>
                }
                @case ('reconnecting') {
                  <mat-progress-spinner mode="indeterminate" diameter="32" />
                  <h2>Reconnecting…</h2>
                  <p>{{ vnc.error() }} Attempt {{ vnc.attempts() }}.</p>
                }
                @case ('failed') {
                  <mat-icon class="vp-overlay-icon vp-overlay-bad">link_off</mat-icon>
                  <h2>Cannot reach the desktop</h2>
                  <p>{{ vnc.error() }}</p>
                  <button mat-flat-button type="button" (click)="vnc.retry()">Try again</button>
                }
                @case ('ended') {
                  <mat-icon class="vp-overlay-icon">power_settings_new</mat-icon>
                  <h2 data-testid="session-ended">This session has ended</h2>
                  <p>
                    {{ session()?.headline }}
                    @if (session()?.endedAt) {
                      · {{ clockTime(session()?.endedAt ?? null) }}
                    }
                  </p>
                  @if (session()?.message; as message) {
                    <pre class="vp-overlay-message">{{ message }}</pre>
                  }
                  <div class="vp-overlay-actions">
                    <a mat-stroked-button routerLink="/sessions">My sessions</a>
                    <button mat-flat-button type="button" (click)="relaunch()" [disabled]="relaunching()">
                      <mat-icon>replay</mat-icon> Relaunch
                    </button>
                  </div>
                }
              }
            </div>
          </div>
        }
      </div>
      @if (clipboardOpen()) {
        <vp-clipboard-panel
          [remoteText]="vnc.remoteClipboard()"
          [disabled]="vnc.status() !== 'connected'"
          (send)="vnc.sendClipboard($event)"
          (closed)="clipboardOpen.set(false)"
        />
      }
    </div>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      height: 100%;
      min-height: 0;
      background: var(--mat-sys-surface);
    }
    .vp-bar {
      display: flex;
      align-items: center;
      gap: 4px;
      padding: 4px 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      min-height: 48px;
      box-sizing: border-box;
      flex-wrap: wrap;
    }
    .vp-bar-title {
      display: flex;
      align-items: center;
      gap: 10px;
      min-width: 0;
    }
    .vp-bar-facts {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
      white-space: nowrap;
    }
    .vp-spacer {
      flex: 1;
    }
    .vp-link {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      margin-right: 8px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-dot {
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: #9e9e9e;
    }
    .vp-link-up .vp-dot {
      background: #22a559;
    }
    .vp-modes {
      --mat-standard-button-toggle-height: 36px;
      margin-right: 4px;
    }
    .vp-on {
      background: var(--mat-sys-secondary-container);
    }
    .vp-menu-hint {
      display: block;
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-stage {
      flex: 1;
      min-height: 0;
      display: flex;
    }
    .vp-screen-wrap {
      position: relative;
      flex: 1;
      min-width: 0;
      background: #1f1f23;
    }
    .vp-screen {
      position: absolute;
      inset: 0;
    }
    .vp-overlay {
      position: absolute;
      inset: 0;
      display: grid;
      place-items: center;
      background: rgb(24 24 28 / 92%);
      color: #f1f1f4;
    }
    .vp-overlay-soft {
      background: rgb(24 24 28 / 55%);
    }
    .vp-overlay-box {
      display: flex;
      flex-direction: column;
      align-items: center;
      text-align: center;
      gap: 4px;
      max-width: 520px;
      padding: 24px;
      --mat-progress-spinner-active-indicator-color: #a8c7fa;
    }
    .vp-overlay-box h2 {
      font: var(--mat-sys-title-large);
      margin: 16px 0 0;
    }
    .vp-overlay-box p {
      margin: 4px 0;
      color: #c9c9d1;
    }
    .vp-overlay-hint {
      font: var(--mat-sys-body-small);
    }
    .vp-overlay-icon {
      font-size: 48px;
      width: 48px;
      height: 48px;
      color: #a8c7fa;
    }
    .vp-overlay-bad {
      color: #f2b8b5;
    }
    .vp-overlay-message {
      max-height: 160px;
      overflow: auto;
      text-align: left;
      white-space: pre-wrap;
      background: rgb(255 255 255 / 8%);
      padding: 8px 12px;
      border-radius: 8px;
      font:
        12px/1.5 ui-monospace,
        monospace;
    }
    .vp-overlay-actions {
      display: flex;
      gap: 8px;
      margin-top: 12px;
      --mat-button-outlined-label-text-color: #f1f1f4;
    }
  `,
})
export class DesktopPageComponent {
  private readonly store = inject(SessionStore);
  private readonly api = inject(SessionsApi);
  private readonly clock = inject(Clock);
  private readonly prefs = inject(DesktopPreferencesStore);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  /** Route parameter. */
  readonly id = input.required<string>();
  private readonly screen = viewChild.required<ElementRef<HTMLElement>>('screen');

  /** A session the store has not loaded (an ended one beyond its first page): looked up once; null if there is none. */
  private readonly lookedUp = signal<{ id: string; session: SessionDto | null } | null>(null);
  protected readonly session = computed(() => {
    const id = this.id();
    const lookedUp = this.lookedUp();
    return (
      this.store.sessions().find((session) => session.id === id) ??
      (lookedUp?.id === id ? (lookedUp.session ?? undefined) : undefined)
    );
  });
  protected readonly preferences = this.prefs.preferences;
  protected readonly qualityPresets = (Object.keys(QUALITY_PRESETS) as QualityPreset[]).map((id) => ({
    id,
    ...QUALITY_PRESETS[id],
  }));
  protected readonly clipboardOpen = signal(false);
  protected readonly fullscreen = signal(false);
  protected readonly relaunching = signal(false);

  protected readonly vnc = new VncConnection({
    target: () => this.screen().nativeElement,
    grant: () => this.api.connect(this.id()),
    shouldReconnect: () => this.session()?.state === 'running',
  });

  protected readonly overlay = computed<Overlay>(() => {
    const session = this.session();
    if (!session) return this.store.loaded() && this.lookedUp()?.id === this.id() ? 'missing' : 'loading';
    if (isTerminal(session.state)) return 'ended';
    if (!session.canConnect) return 'waiting';
    switch (this.vnc.status()) {
      case 'connected':
        return null;
      case 'reconnecting':
        return 'reconnecting';
      case 'failed':
        return 'failed';
      default:
        return 'connecting';
    }
  });

  protected readonly timeLeft = computed(() => {
    const session = this.session();
    const left = session ? minutesLeft(session, this.clock.now()) : null;
    return left === null ? null : formatDuration(left);
  });

  protected readonly waitingDetail = computed(() => {
    const session = this.session();
    if (!session) return '';
    if (session.state === 'queued' && session.expectedStartAt)
      return `Expected to start ${formatClockTime(session.expectedStartAt, this.clock.now())}.`;
    return session.detail ?? '';
  });

  protected readonly statusWords = computed(() => {
    switch (this.vnc.status()) {
      case 'connected':
        return this.vnc.desktopName() ? `Connected · ${this.vnc.desktopName()}` : 'Connected';
      case 'connecting':
        return 'Connecting';
      case 'reconnecting':
        return 'Reconnecting';
      case 'failed':
        return 'Not connected';
      default:
        return 'Not connected';
    }
  });

  constructor() {
    // The router reuses this page when going from one desktop to another (relaunch).
    let shownId: string | null = null;
    effect(() => {
      const id = this.id();
      if (shownId !== null && shownId !== id) untracked(() => this.vnc.reset());
      shownId = id;
    });
    // A deep link to a session the store's pages do not hold: ask for it by id before saying "missing".
    let askedFor: string | null = null;
    effect(() => {
      const id = this.id();
      if (!this.store.loaded() || this.store.session(id) || askedFor === id) return;
      askedFor = id;
      untracked(() =>
        this.api.get(id).then(
          (session) => this.lookedUp.set({ id, session }),
          () => this.lookedUp.set({ id, session: null }),
        ),
      );
    });
    // Connect as soon as the session can take it: now, or when the socket says it runs. The proxy
    // dials the node Slurm names, and the desktop's readiness report can arrive before the poller
    // has seen the job running on its node: until `node` is known the proxy would refuse (409).
    effect(() => {
      const session = this.session();
      if (session?.canConnect && session.node && this.vnc.status() === 'idle')
        untracked(() => void this.vnc.open());
    });
    // The session ended (the socket said so): let go of the desktop; the overlay explains.
    effect(() => {
      const session = this.session();
      if (session && isTerminal(session.state) && this.vnc.status() !== 'closed')
        untracked(() => this.vnc.close());
    });
    effect(() => this.vnc.apply(this.preferences()));

    const onFullscreen = () => this.fullscreen.set(document.fullscreenElement === this.host.nativeElement);
    document.addEventListener('fullscreenchange', onFullscreen);
    inject(DestroyRef).onDestroy(() => {
      document.removeEventListener('fullscreenchange', onFullscreen);
      this.vnc.close();
    });
  }

  protected setViewMode(viewMode: ViewMode): void {
    this.prefs.update({ viewMode });
    this.vnc.focus();
  }

  protected setQuality(quality: QualityPreset): void {
    this.prefs.update({ quality });
    this.vnc.focus();
  }

  protected async toggleFullscreen(): Promise<void> {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await this.host.nativeElement.requestFullscreen();
    } catch {
      this.snackBar.open('The browser did not allow full screen.', undefined, { duration: 3000 });
    }
    this.vnc.focus();
  }

  protected clockTime(iso: string | null): string {
    return formatClockTime(iso, this.clock.now()) ?? '';
  }

  protected async relaunch(): Promise<void> {
    this.relaunching.set(true);
    try {
      const fresh = await this.store.relaunch(this.id());
      await this.router.navigate(['/sessions', fresh.id, 'desktop']);
    } catch (error) {
      this.snackBar.open(toApiProblem(error).message, 'OK', { duration: 8000 });
    } finally {
      this.relaunching.set(false);
    }
  }
}
