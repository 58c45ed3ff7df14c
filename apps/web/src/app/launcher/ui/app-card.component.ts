// One app of the catalog: icon, title, description, category. The whole card is the link.
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import type { AppDto } from '@vizportal/session-domain';

@Component({
  selector: 'vp-app-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatIconModule, RouterLink],
  template: `
    <a class="vp-app" [routerLink]="['/apps', app().id]" [attr.data-app-id]="app().id" data-testid="app-card">
      <div class="vp-app-icon">
        <mat-icon>{{ app().icon }}</mat-icon>
      </div>
      <div class="vp-app-text">
        <h3>{{ app().title }}</h3>
        <p>{{ app().description }}</p>
      </div>
      <div class="vp-app-foot">
        <span class="vp-app-category">{{ app().category }}</span>
        <span class="vp-app-go">Launch <mat-icon>arrow_forward</mat-icon></span>
      </div>
    </a>
  `,
  styles: `
    :host {
      display: block;
    }
    .vp-app {
      display: flex;
      flex-direction: column;
      gap: 12px;
      height: 100%;
      box-sizing: border-box;
      padding: 18px;
      border-radius: 16px;
      border: 1px solid var(--mat-sys-outline-variant);
      background: var(--mat-sys-surface);
      color: inherit;
      text-decoration: none;
      transition:
        border-color 0.15s,
        box-shadow 0.15s,
        transform 0.15s;
    }
    .vp-app:hover,
    .vp-app:focus-visible {
      border-color: var(--mat-sys-primary);
      box-shadow: 0 4px 16px rgb(0 0 0 / 8%);
      transform: translateY(-1px);
      outline: none;
    }
    .vp-app-icon {
      width: 48px;
      height: 48px;
      border-radius: 12px;
      display: grid;
      place-items: center;
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .vp-app-icon mat-icon {
      font-size: 28px;
      width: 28px;
      height: 28px;
    }
    .vp-app-text {
      flex: 1;
    }
    h3 {
      margin: 0 0 4px;
      font: var(--mat-sys-title-medium);
    }
    p {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-medium);
    }
    .vp-app-foot {
      display: flex;
      align-items: center;
      justify-content: space-between;
    }
    .vp-app-category {
      font: var(--mat-sys-label-small);
      text-transform: uppercase;
      letter-spacing: 0.06em;
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-app-go {
      display: inline-flex;
      align-items: center;
      gap: 2px;
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-primary);
    }
    .vp-app-go mat-icon {
      font-size: 18px;
      width: 18px;
      height: 18px;
    }
  `,
})
export class AppCardComponent {
  readonly app = input.required<AppDto>();
}
