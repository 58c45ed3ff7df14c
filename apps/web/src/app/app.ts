// The portal's shell: the top bar (navigation, account), the notices that concern every page
// (Slurm unreachable, live updates interrupted), and the routed page below. It also starts the
// live session feed once a user is known and stops it when they leave.
import {
  ChangeDetectionStrategy,
  Component,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  untracked,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatToolbarModule } from '@angular/material/toolbar';
import {
  type ActivatedRouteSnapshot,
  NavigationEnd,
  Router,
  RouterLink,
  RouterLinkActive,
  RouterOutlet,
} from '@angular/router';
import { filter, map } from 'rxjs';
import { AuthStore } from './shared/data-access/auth.store';
import { UserMenuComponent } from './auth/ui/user-menu.component';
import { SessionStore } from './shared/data-access/session-store';
import { BrowserNotifications } from './shared/data-access/browser-notifications';
import { formatClockTime } from './shared/data-access/time-format';
import { BannerComponent } from './shared/ui/banner.component';

@Component({
  selector: 'vp-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    BannerComponent,
    MatButtonModule,
    MatIconModule,
    MatToolbarModule,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
    UserMenuComponent,
  ],
  template: `
    <mat-toolbar class="vp-toolbar">
      <a routerLink="/" class="vp-brand" aria-label="vizportal home"
        ><mat-icon>view_in_ar</mat-icon><span>vizportal</span></a
      >
      @if (auth.user(); as user) {
        <nav class="vp-nav" aria-label="Main">
          <a mat-button routerLink="/apps" routerLinkActive="vp-active" data-testid="nav-apps">Launch</a>
          <a mat-button routerLink="/sessions" routerLinkActive="vp-active" data-testid="nav-sessions">
            Sessions
            @if (store.liveCount()) {
              <span class="vp-badge" aria-label="active sessions">{{ store.liveCount() }}</span>
            }
          </a>
          <a mat-button routerLink="/status" routerLinkActive="vp-active">Cluster</a>
          @if (user.isAdmin) {
            <a mat-button routerLink="/admin" routerLinkActive="vp-active" data-testid="nav-admin">Admin</a>
          }
        </nav>
        <span class="vp-spacer"></span>
        <!-- The menu (and Material's overlay) loads when the browser is idle: not in the initial bundle. -->
        @defer (on idle) {
          <vp-user-menu
            [user]="user"
            [canEnableNotifications]="notifications.state() === 'default'"
            (logout)="logout()"
            (enableNotifications)="notifications.request()"
          />
        } @placeholder {
          <button mat-button type="button" class="vp-user-placeholder">
            <mat-icon>account_circle</mat-icon> {{ user.username }}
          </button>
        }
      } @else {
        <span class="vp-spacer"></span>
        <span class="vp-tagline">Interactive desktops on the cluster</span>
      }
    </mat-toolbar>

    @if (auth.user()) {
      @if (store.scheduler()?.reachable === false) {
        <vp-banner tone="warning" icon="cloud_off" data-testid="scheduler-banner">
          <strong>Slurm is not answering</strong> (since {{ schedulerSince() }}). New launches fail and cards
          may lag behind; running desktops keep running.
          @if (store.scheduler()?.message; as message) {
            <span class="vp-banner-detail">{{ message }}</span>
          }
        </vp-banner>
      }
      @if (store.socketState() === 'reconnecting') {
        <vp-banner tone="info" icon="sync_problem" data-testid="socket-banner">
          Live updates interrupted: reconnecting… Cards may be out of date until then.
        </vp-banner>
      }
    }

    <main class="vp-main" [class.vp-main-full]="fullBleed()">
      <div class="vp-page"><router-outlet /></div>
    </main>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      height: 100vh;
    }
    .vp-toolbar {
      flex: none;
      gap: 8px;
      height: 56px;
      padding: 0 12px 0 16px;
      --mat-toolbar-container-background-color: #0b3d75;
      --mat-toolbar-container-text-color: #fff;
    }
    .vp-brand {
      display: inline-flex;
      align-items: center;
      gap: 8px;
      color: inherit;
      text-decoration: none;
      font-weight: 600;
      font-size: 1.15rem;
      margin-right: 16px;
      letter-spacing: 0.01em;
    }
    .vp-brand mat-icon {
      color: #8cc4ff;
    }
    .vp-nav {
      display: flex;
      gap: 2px;
    }
    .vp-nav a {
      border-radius: 8px;
      color: rgb(255 255 255 / 80%);
    }
    .vp-nav a.vp-active {
      background: rgb(255 255 255 / 14%);
      color: #fff;
    }
    .vp-badge {
      display: inline-block;
      min-width: 20px;
      height: 20px;
      line-height: 20px;
      padding: 0 6px;
      margin-left: 6px;
      box-sizing: border-box;
      border-radius: 10px;
      background: #8cc4ff;
      color: #0b3d75;
      font-size: 12px;
      font-weight: 700;
      text-align: center;
      vertical-align: middle;
    }
    .vp-spacer {
      flex: 1;
    }
    .vp-user-placeholder {
      color: inherit;
    }
    .vp-tagline {
      font-size: 0.9rem;
      opacity: 0.8;
    }
    .vp-banner-detail {
      display: block;
      opacity: 0.8;
      font-size: 0.85em;
    }
    .vp-main {
      flex: 1;
      min-height: 0;
      overflow: auto;
    }
    .vp-page {
      max-width: 1180px;
      margin: 0 auto;
      padding: 24px 24px 48px;
    }
    .vp-main-full {
      overflow: hidden;
    }
    .vp-main-full .vp-page {
      max-width: none;
      height: 100%;
      padding: 0;
    }
  `,
})
export class App {
  protected readonly auth = inject(AuthStore);
  protected readonly store = inject(SessionStore);
  protected readonly notifications = inject(BrowserNotifications);
  private readonly injector = inject(Injector);
  private readonly router = inject(Router);

  /** Pages such as the desktop use the whole window below the bar (route data `fullBleed`). */
  protected readonly fullBleed = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map(() => deepest(this.router.routerState.snapshot.root).data['fullBleed'] === true),
    ),
    { initialValue: false },
  );
  protected readonly schedulerSince = computed(() =>
    formatClockTime(this.store.scheduler()?.since ?? null, Date.now()),
  );

  constructor() {
    let wasLoggedIn = false;
    effect(() => {
      const user = this.auth.user();
      untracked(() => {
        if (user) {
          this.store.start();
        } else {
          this.store.stop();
          // The login ended while using the portal (expired, signed out elsewhere): back to /login.
          if (wasLoggedIn && !this.router.url.startsWith('/login')) {
            const returnUrl = this.router.url;
            void this.router.navigate(['/login'], {
              queryParams: returnUrl && returnUrl !== '/' ? { returnUrl } : {},
            });
          }
        }
        wasLoggedIn = !!user;
      });
    });
    this.startAlerts();
  }

  /** Toasts and notifications need Material's snack bar: loaded after the first render. */
  private startAlerts(): void {
    afterNextRender(
      () => {
        void import('./sessions/data-access/session-alerts.service').then(({ SessionAlerts }) =>
          this.injector.get(SessionAlerts),
        );
      },
      { injector: this.injector },
    );
  }

  protected async logout(): Promise<void> {
    try {
      await this.auth.logout();
    } finally {
      await this.router.navigate(['/login']);
    }
  }
}

function deepest(route: ActivatedRouteSnapshot): ActivatedRouteSnapshot {
  return route.firstChild ? deepest(route.firstChild) : route;
}
