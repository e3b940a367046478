import { Routes } from '@angular/router';
import { APP_NAME } from './app-name';

export const routes: Routes = [
  { path: '', pathMatch: 'full', loadComponent: () => import('./pages/home/home-page.component').then((m) => m.HomePage), title: APP_NAME },
  { path: 'inbox', loadComponent: () => import('./pages/inbox/inbox-page.component').then((m) => m.InboxPage), title: `Inbox · ${APP_NAME}` },
  { path: 'project/:id', loadComponent: () => import('./pages/project/project-page.component').then((m) => m.ProjectPage), title: `Project · ${APP_NAME}` },
  { path: 'tag/:id', loadComponent: () => import('./pages/tag/tag-page.component').then((m) => m.TagPage), title: `Tag · ${APP_NAME}` },
  { path: 'metrics', loadComponent: () => import('./pages/metrics/metrics-page.component').then((m) => m.MetricsPage), title: `Metrics · ${APP_NAME}` },
  { path: 'settings', loadComponent: () => import('./pages/settings/settings-page.component').then((m) => m.SettingsPage), title: `Settings · ${APP_NAME}` },
  { path: '**', redirectTo: '' },
];
