// One session as a card: what it is, what Slurm is doing with it, and what the user can do now.
// Presentational: times are computed from the `now` input, actions go out as outputs.
import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { formatDuration, isTerminal, type SessionDto } from '@vizportal/session-domain';
import { formatClockTime, minutesLeft, minutesSince } from '../../shared/data-access/time-format';
import { StateChipComponent } from '../../shared/ui/state-chip.component';

/** What "More time" offers; the API says (409) when the partition or the site allows less. */
export const EXTEND_CHOICES_MINUTES = [30, 60, 120];

@Component({
  selector: 'vp-session-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButtonModule,
    MatCardModule,
    MatDividerModule,
    MatIconModule,
    MatMenuModule,
    MatProgressBarModule,
    MatTooltipModule,
    RouterLink,
    StateChipComponent,
  ],
  host: {
    'data-testid': 'session-card',
    '[attr.data-session-id]': 'session().id',
    '[attr.data-state]': 'session().state',
    '[class.vp-highlighted]': 'highlighted()',
  },
  template: `
    @let s = session();
    <mat-card appearance="outlined" class="vp-card">
      <div class="vp-card-head">
        <div class="vp-app-icon" [class.vp-app-icon-live]="!ended()">
          <mat-icon>{{ icon() }}</mat-icon>
        </div>
        <div class="vp-card-title">
          <h3>{{ s.appTitle }}</h3>
          <div class="vp-card-sub">
            Launched {{ clock(s.createdAt) }}
            @if (s.jobId) {
              · job {{ s.jobId }}
            }
          </div>
        </div>
        <vp-state-chip [state]="s.state" />
      </div>

      <div class="vp-card-body">
        <p class="vp-headline" data-testid="session-headline">{{ s.headline }}</p>
        @switch (s.state) {
          @case ('submitting') {
            <p class="vp-line">Sending the job to Slurm…</p>
            <mat-progress-bar mode="indeterminate" />
          }
          @case ('queued') {
            @if (s.expectedStartAt) {
              <p class="vp-line">
                <mat-icon inline>schedule</mat-icon> Expected to start {{ clock(s.expectedStartAt) }}
              </p>
            } @else if (s.detail) {
              <p class="vp-line">{{ s.detail }}</p>
            }
            <p class="vp-line vp-muted">Waiting for {{ duration(since(s.createdAt)) }}</p>
          }
          @case ('starting') {
            <p class="vp-line">
              Waiting for the desktop to come up{{
                s.startedAt ? ' · job started ' + clock(s.startedAt) : ''
              }}
            </p>
            <mat-progress-bar mode="indeterminate" />
          }
          @case ('running') {
            <dl class="vp-facts">
              <div>
                <dt>Node</dt>
                <dd data-testid="session-node">{{ s.node ?? '—' }}</dd>
              </div>
              <div>
                <dt>Time used</dt>
                <dd>{{ duration(used()) }}</dd>
              </div>
              <div>
                <dt>Time left</dt>
                <dd [class.vp-urgent]="urgent()">{{ left() === null ? '—' : duration(left()) }}</dd>
              </div>
            </dl>
            @if (usedPercent() !== null) {
              <mat-progress-bar mode="determinate" [value]="usedPercent()" [class.vp-bar-urgent]="urgent()" />
            }
            @if (s.idleStop) {
              <p class="vp-line vp-urgent" data-testid="session-idle-stop">
                <mat-icon inline>bedtime</mat-icon> Idle: will be stopped {{ clock(s.idleStop.at) }}
                <button mat-button type="button" (click)="keep.emit()" data-testid="keep-session">
                  Keep it running
                </button>
              </p>
            }
          }
          @default {
            @if (s.detail && s.detail !== s.message) {
              <p class="vp-line">{{ s.detail }}</p>
            }
            @if (s.message) {
              <pre class="vp-message" data-testid="session-message">{{ s.message }}</pre>
            }
            <p class="vp-line vp-muted">
              @if (s.endedAt) {
                Ended {{ clock(s.endedAt) }}
              }
              @if (ranFor() !== null) {
                · ran {{ duration(ranFor()) }}
              }
            </p>
          }
        }
        @if (settings().length) {
          <ul class="vp-settings" aria-label="Settings">
            @for (setting of settings(); track setting.label) {
              <li>
                <span>{{ setting.label }}</span> {{ setting.value }}
              </li>
            }
          </ul>
        }
      </div>

      <mat-card-actions class="vp-actions">
        @if (s.canConnect) {
          <a mat-flat-button [routerLink]="['/sessions', s.id, 'desktop']" data-testid="open-desktop">
            <mat-icon>open_in_browser</mat-icon> Open desktop
          </a>
        }
        @if (s.canExtend) {
          <button
            mat-stroked-button
            type="button"
            [matMenuTriggerFor]="moreTime"
            [disabled]="busy()"
            data-testid="extend"
          >
            <mat-icon>more_time</mat-icon> More time
          </button>
          <mat-menu #moreTime="matMenu">
            @for (choice of extendChoices; track choice) {
              <button
                mat-menu-item
                type="button"
                (click)="extend.emit(choice)"
                [attr.data-testid]="'extend-' + choice"
              >
                Add {{ duration(choice) }}
              </button>
            }
          </mat-menu>
        }
        @if (s.canStop) {
          <button
            mat-stroked-button
            type="button"
            (click)="stop.emit()"
            [disabled]="busy()"
            data-testid="stop"
          >
            <mat-icon>stop_circle</mat-icon> Stop
          </button>
        }
        @if (ended()) {
          <button
            mat-stroked-button
            type="button"
            (click)="relaunch.emit()"
            [disabled]="busy()"
            data-testid="relaunch"
          >
            <mat-icon>replay</mat-icon> Relaunch
          </button>
          @if (s.state === 'failed' && s.jobId) {
            <button mat-button type="button" (click)="showLog.emit()" data-testid="show-log">
              <mat-icon>article</mat-icon> Output log
            </button>
          }
        }
        <span class="vp-spacer"></span>
        <button
          mat-icon-button
          type="button"
          [matMenuTriggerFor]="more"
          aria-label="More actions"
          data-testid="more-actions"
        >
          <mat-icon>more_vert</mat-icon>
        </button>
        <mat-menu #more="matMenu" xPosition="before">
          @if (s.jobId) {
            <button mat-menu-item type="button" (click)="showLog.emit()">
              <mat-icon>article</mat-icon><span>Output log</span>
            </button>
          }
          <button mat-menu-item type="button" (click)="relaunch.emit()" [disabled]="busy()">
            <mat-icon>replay</mat-icon
            ><span>{{ ended() ? 'Relaunch' : 'Restart (stop, then launch again)' }}</span>
          </button>
          @if (s.canDelete) {
            <mat-divider />
            <button
              mat-menu-item
              type="button"
              (click)="remove.emit()"
              [disabled]="busy()"
              data-testid="delete"
            >
              <mat-icon>delete</mat-icon><span>Delete</span>
            </button>
          }
        </mat-menu>
      </mat-card-actions>
    </mat-card>
  `,
  styles: `
    :host {
      display: block;
      border-radius: 14px;
      transition: box-shadow 0.6s;
    }
    :host(.vp-highlighted) {
      box-shadow: 0 0 0 3px var(--mat-sys-primary);
    }
    .vp-card {
      height: 100%;
      display: flex;
      flex-direction: column;
      border-radius: 14px;
    }
    .vp-card-head {
      display: flex;
      align-items: flex-start;
      gap: 12px;
      padding: 16px 16px 0;
    }
    .vp-app-icon {
      flex: none;
      width: 40px;
      height: 40px;
      border-radius: 10px;
      display: grid;
      place-items: center;
      background: var(--mat-sys-surface-container-high);
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-app-icon-live {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .vp-card-title {
      flex: 1;
      min-width: 0;
    }
    .vp-card-title h3 {
      margin: 0;
      font: var(--mat-sys-title-medium);
    }
    .vp-card-sub {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-card-body {
      padding: 8px 16px 4px;
      flex: 1;
    }
    .vp-headline {
      font: var(--mat-sys-body-large);
      font-weight: 500;
      margin: 4px 0;
    }
    .vp-line {
      margin: 2px 0 8px;
      font: var(--mat-sys-body-medium);
      display: flex;
      align-items: center;
      gap: 4px;
    }
    .vp-muted {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .vp-facts {
      display: grid;
      grid-template-columns: repeat(3, 1fr);
      gap: 8px;
      margin: 8px 0 12px;
    }
    .vp-facts dt {
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-on-surface-variant);
      text-transform: uppercase;
      letter-spacing: 0.04em;
    }
    .vp-facts dd {
      margin: 2px 0 0;
      font: var(--mat-sys-body-large);
    }
    .vp-urgent {
      color: #b45309;
      font-weight: 600;
    }
    .vp-bar-urgent {
      --mat-progress-bar-active-indicator-color: #d97706;
    }
    .vp-message {
      white-space: pre-wrap;
      word-break: break-word;
      max-height: 7.5em;
      overflow: auto;
      margin: 4px 0 8px;
      padding: 8px 10px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container);
      font:
        12px/1.5 ui-monospace,
        SFMono-Regular,
        Menlo,
        monospace;
    }
    .vp-settings {
      list-style: none;
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
      margin: 10px 0 0;
      padding: 0;
    }
    .vp-settings li {
      font: var(--mat-sys-label-small);
      padding: 2px 8px;
      border-radius: 6px;
      background: var(--mat-sys-surface-container);
      max-width: 100%;
      box-sizing: border-box;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .vp-settings span {
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-actions {
      padding: 4px 8px 8px 16px;
      gap: 8px;
      flex-wrap: wrap;
    }
    .vp-spacer {
      flex: 1;
    }
  `,
})
export class SessionCardComponent {
  readonly session = input.required<SessionDto>();
  /** Epoch ms; the page's clock, so every card moves together. */
  readonly now = input.required<number>();
  readonly icon = input('desktop_windows');
  /** The launch form's answers, labelled: [{ label: 'CPUs', value: '2' }, …] */
  readonly settings = input<{ label: string; value: string }[]>([]);
  readonly highlighted = input(false);
  /** An action on this session is under way. */
  readonly busy = input(false);

  readonly stop = output<void>();
  readonly relaunch = output<void>();
  readonly remove = output<void>();
  readonly showLog = output<void>();
  /** Minutes to add to the time limit. */
  readonly extend = output<number>();
  /** Keep the session from its idle stop. */
  readonly keep = output<void>();

  protected readonly extendChoices = EXTEND_CHOICES_MINUTES;

  protected readonly ended = computed(() => isTerminal(this.session().state));
  protected readonly used = computed(() => minutesSince(this.session().startedAt, this.now()));
  protected readonly left = computed(() => {
    const left = minutesLeft(this.session(), this.now());
    return left === null ? null : Math.floor(left);
  });
  /** From the time the API says to warn of the limit (SessionAlerts warns then too). */
  protected readonly urgent = computed(() => {
    const warnAt = this.session().timeWarningAt;
    return warnAt !== null && this.now() >= Date.parse(warnAt);
  });
  protected readonly usedPercent = computed(() => {
    const limit = this.session().timeLimitMinutes;
    const used = this.used();
    return limit && used !== null ? Math.min(100, (used / limit) * 100) : null;
  });
  protected readonly ranFor = computed(() => {
    const { startedAt, endedAt } = this.session();
    return startedAt && endedAt ? minutesSince(startedAt, Date.parse(endedAt)) : null;
  });

  protected clock(iso: string | null): string {
    return formatClockTime(iso, this.now()) ?? '—';
  }

  protected since(iso: string): number | null {
    return minutesSince(iso, this.now());
  }

  protected duration(minutes: number | null): string {
    return minutes === null ? '—' : formatDuration(minutes, 'compact');
  }
}
