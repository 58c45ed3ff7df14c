// The toolbar's account button: who is signed in, notifications, cluster status, and logging out.
import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { RouterLink } from '@angular/router';
import type { CurrentUser } from '../../shared/data-access/auth.store';

@Component({
  selector: 'vp-user-menu',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatDividerModule, MatIconModule, MatMenuModule, RouterLink],
  template: `
    <button
      mat-button
      [matMenuTriggerFor]="menu"
      class="vp-user-button"
      data-testid="user-menu"
      aria-label="Account"
    >
      <mat-icon>account_circle</mat-icon>
      <span class="vp-user-name">{{ user().username }}</span>
    </button>
    <mat-menu #menu="matMenu" xPosition="before">
      <div class="vp-user-info">
        Signed in as <strong>{{ user().username }}</strong>
        @if (user().isAdmin) {
          <span class="vp-admin">administrator</span>
        }
      </div>
      <mat-divider />
      @if (canEnableNotifications()) {
        <button mat-menu-item type="button" (click)="enableNotifications.emit()">
          <mat-icon>notifications_active</mat-icon><span>Notify me when desktops are ready</span>
        </button>
      }
      <a mat-menu-item routerLink="/status"><mat-icon>monitor_heart</mat-icon><span>Cluster status</span></a>
      @if (user().authMode === 'local') {
        <button mat-menu-item type="button" (click)="logout.emit()" data-testid="logout">
          <mat-icon>logout</mat-icon><span>Sign out</span>
        </button>
      }
    </mat-menu>
  `,
  styles: `
    .vp-user-button {
      color: inherit;
    }
    .vp-user-name {
      max-width: 14ch;
      overflow: hidden;
      text-overflow: ellipsis;
      display: inline-block;
      vertical-align: bottom;
    }
    .vp-user-info {
      padding: 8px 16px 12px;
      font: var(--mat-sys-body-medium);
      color: var(--mat-sys-on-surface-variant);
    }
    .vp-admin {
      display: inline-block;
      margin-left: 6px;
      padding: 0 6px;
      border-radius: 999px;
      font: var(--mat-sys-label-small);
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
  `,
})
export class UserMenuComponent {
  readonly user = input.required<CurrentUser>();
  readonly canEnableNotifications = input(false);
  readonly logout = output<void>();
  readonly enableNotifications = output<void>();
}
