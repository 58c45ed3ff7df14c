// A full-width notice under the toolbar: the scheduler or the live connection is away.
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

@Component({
  selector: 'vp-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatIconModule],
  host: { role: 'status', '[class]': '"vp-banner vp-banner-" + tone()' },
  template: `
    <mat-icon class="vp-banner-icon">{{ icon() }}</mat-icon>
    <div class="vp-banner-text"><ng-content /></div>
  `,
  styles: `
    :host {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 8px 24px;
      font: var(--mat-sys-body-medium);
    }
    :host(.vp-banner-warning) {
      background: #fff4e5;
      color: #663c00;
      border-bottom: 1px solid #ffd8a8;
    }
    :host(.vp-banner-info) {
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .vp-banner-icon {
      flex: none;
    }
    .vp-banner-text {
      flex: 1;
      min-width: 0;
    }
  `,
})
export class BannerComponent {
  readonly icon = input('info');
  readonly tone = input<'warning' | 'info'>('info');
}
