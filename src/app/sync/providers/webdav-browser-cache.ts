import { getPatcher } from 'webdav';

let bypassing = false;

/**
 * Browsers may answer a GET from their HTTP cache without asking the server, when the server sent
 * Last-Modified but no Cache-Control (Apache serving a file does): a meta.json unchanged for ten
 * hours may then be served from the cache for an hour while other devices commit. The `webdav`
 * client offers no fetch option for it, so its fetch is replaced (through the library's own
 * patcher) by one that never uses the cache. Only in browsers: Node's fetch has no HTTP cache.
 * A `Cache-Control: no-cache` request header would do the same, but servers would then have to
 * allow it in their CORS preflight.
 */
export function bypassBrowserCacheForWebDav(): void {
  if (bypassing || typeof window === 'undefined' || typeof window.fetch !== 'function') return;
  bypassing = true;
  getPatcher().patch('fetch', (...args: unknown[]) => {
    const [url, options] = args as [string, RequestInit | undefined];
    return window.fetch(url, { ...options, cache: 'no-store' });
  });
}
