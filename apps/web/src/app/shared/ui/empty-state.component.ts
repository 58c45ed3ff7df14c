// A friendly "nothing here yet" with an icon, a line of explanation and an action (projected).
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

@Component({
  selector: 'vp-empty-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatIconModule],
  template: `
    <div class="vp-empty-art">
      <mat-icon>{{ icon() }}</mat-icon>
    </div>
    <h2>{{ title() }}</h2>
    <p>{{ message() }}</p>
    <ng-content />
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      align-items: center;
      text-align: center;
      padding: 48px 16px;
    }
    .vp-empty-art {
      width: 88px;
      height: 88px;
      border-radius: 50%;
      display: grid;
      place-items: center;
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .vp-empty-art mat-icon {
      font-size: 44px;
      width: 44px;
      height: 44px;
    }
    h2 {
      font: var(--mat-sys-title-large);
      margin: 20px 0 4px;
    }
    p {
      color: var(--mat-sys-on-surface-variant);
      margin: 0 0 20px;
      max-width: 46ch;
    }
  `,
})
export class EmptyStateComponent {
  readonly icon = input('inbox');
  readonly title = input.required<string>();
  readonly message = input('');
}
