import { bootstrapApplication } from '@angular/platform-browser';
import { appConfig } from './app/app.config';
import { App } from './app/app';

bootstrapApplication(App, appConfig).catch((err: unknown) => {
  console.error(err);
  // Loading the stored data failed (IndexedDB unavailable or broken): say so instead of a blank page.
  const box = document.createElement('div');
  box.className = 'startup-error';
  box.textContent = `The app could not start: ${err instanceof Error ? err.message : String(err)}. Your data has not been changed.`;
  document.body.replaceChildren(box);
});
