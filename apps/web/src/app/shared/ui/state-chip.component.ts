// A session's state as a small coloured label with an icon: readable at a glance, not by colour alone.
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import type { SessionState } from '@vizportal/session-domain';

const LOOKS: Readonly<Record<SessionState, { label: string; icon: string; tone: string }>> = {
  submitting: { label: 'Submitting', icon: 'upload', tone: 'progress' },
  queued: { label: 'Queued', icon: 'hourglass_top', tone: 'waiting' },
  starting: { label: 'Starting', icon: 'rocket_launch', tone: 'progress' },
  running: { label: 'Running', icon: 'play_circle', tone: 'running' },
  completed: { label: 'Completed', icon: 'check_circle', tone: 'ended' },
  failed: { label: 'Failed', icon: 'error', tone: 'failed' },
  cancelled: { label: 'Cancelled', icon: 'cancel', tone: 'ended' },
  timed_out: { label: 'Timed out', icon: 'timer_off', tone: 'failed' },
};

@Component({
  selector: 'vp-state-chip',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatIconModule],
  host: {
    '[class]': '"vp-chip vp-chip-" + look().tone',
    '[attr.data-state]': 'state()',
    'data-testid': 'state-chip',
  },
  template: `<mat-icon>{{ look().icon }}</mat-icon
    ><span>{{ look().label }}</span>`,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      padding: 2px 10px 2px 6px;
      border-radius: 999px;
      font: var(--mat-sys-label-medium);
      white-space: nowrap;
    }
    mat-icon {
      font-size: 16px;
      width: 16px;
      height: 16px;
    }
    :host(.vp-chip-progress) {
      background: #e3f2fd;
      color: #0b4f8a;
    }
    :host(.vp-chip-waiting) {
      background: #fff4e0;
      color: #7a4a00;
    }
    :host(.vp-chip-running) {
      background: #e3f5e8;
      color: #14652f;
    }
    :host(.vp-chip-ended) {
      background: var(--mat-sys-surface-container-high);
      color: var(--mat-sys-on-surface-variant);
    }
    :host(.vp-chip-failed) {
      background: #fde8e6;
      color: #8c1d18;
    }
  `,
})
export class StateChipComponent {
  readonly state = input.required<SessionState>();
  protected readonly look = computed(() => LOOKS[this.state()]);
}
