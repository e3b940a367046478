// The app's service worker: Angular's (ngsw-worker.js, an offline app shell) for the app's own
// files only. Requests to other origins (the WebDAV server, Dropbox) are left to the browser, so a
// failed one stays a network error the sync can tell the person about ("offline", "blocked by
// CORS") instead of the 504 that Angular's worker would answer in its place.
self.addEventListener('fetch', (event) => {
  if (new URL(event.request.url).origin !== self.location.origin) event.stopImmediatePropagation();
});
importScripts('./ngsw-worker.js');
