// Every page is its own lazy chunk; the desktop's chunk alone carries noVNC.
import type { Route } from '@angular/router';
import { adminGuard } from './admin/data-access/admin.guard';
import { authGuard, guestGuard } from './auth/data-access/auth.guard';

export const appRoutes: Route[] = [
  {
    path: 'login',
    title: 'Sign in · vizportal',
    canActivate: [guestGuard],
    loadComponent: () => import('./auth/feature/login-page.component').then((m) => m.LoginPageComponent),
  },
  {
    path: '',
    canActivate: [authGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'sessions' },
      {
        path: 'apps',
        title: 'Launch an app · vizportal',
        loadComponent: () =>
          import('./launcher/feature/launcher-page.component').then((m) => m.LauncherPageComponent),
      },
      {
        path: 'apps/:appId',
        title: 'Launch · vizportal',
        loadComponent: () =>
          import('./launcher/feature/launch-page.component').then((m) => m.LaunchPageComponent),
      },
      {
        path: 'sessions',
        title: 'My sessions · vizportal',
        loadComponent: () =>
          import('./sessions/feature/sessions-page.component').then((m) => m.SessionsPageComponent),
      },
      {
        path: 'sessions/:id/desktop',
        title: 'Desktop · vizportal',
        data: { fullBleed: true },
        loadComponent: () =>
          import('./desktop/feature/desktop-page.component').then((m) => m.DesktopPageComponent),
      },
      {
        path: 'admin',
        title: 'Administration · vizportal',
        canActivate: [adminGuard],
        loadComponent: () => import('./admin/feature/admin-page.component').then((m) => m.AdminPageComponent),
      },
      {
        path: 'status',
        title: 'Cluster status · vizportal',
        loadComponent: () =>
          import('./health/cluster-health.component').then((m) => m.ClusterHealthComponent),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
