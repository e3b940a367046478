import { Routes } from '@angular/router';

export const routes: Routes = [
  { path: '', pathMatch: 'full', loadComponent: () => import('./pages/home/home-page.component').then((m) => m.HomePage), title: 'SuperSync' },
  { path: 'project/:id', loadComponent: () => import('./pages/project/project-page.component').then((m) => m.ProjectPage), title: 'Project · SuperSync' },
  { path: 'tag/:id', loadComponent: () => import('./pages/tag/tag-page.component').then((m) => m.TagPage), title: 'Tag · SuperSync' },
  { path: 'metrics', loadComponent: () => import('./pages/metrics/metrics-page.component').then((m) => m.MetricsPage), title: 'Metrics · SuperSync' },
  { path: 'settings', loadComponent: () => import('./pages/settings/settings-page.component').then((m) => m.SettingsPage), title: 'Settings · SuperSync' },
  { path: '**', redirectTo: '' },
];
