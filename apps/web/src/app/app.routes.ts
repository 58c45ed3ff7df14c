import { Route } from '@angular/router';

export const appRoutes: Route[] = [
  {
    path: '',
    title: 'Cluster status · vizportal',
    loadComponent: () => import('./health/cluster-health.component').then((m) => m.ClusterHealthComponent),
  },
  { path: '**', redirectTo: '' },
];
