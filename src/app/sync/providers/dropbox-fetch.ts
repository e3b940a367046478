/** The hosts the Dropbox SDK talks to; all https, which the local emulator cannot be. */
const DROPBOX_ORIGINS = ['https://api.dropboxapi.com', 'https://content.dropboxapi.com', 'https://api.dropbox.com', 'https://www.dropbox.com', 'https://dropbox.com'];

/** Points a Dropbox URL at `apiBaseUrl` (the local emulator) instead of Dropbox, when one is set. */
export function rewriteDropboxUrl(url: string, apiBaseUrl: string | undefined): string {
  if (!apiBaseUrl) return url;
  const origin = DROPBOX_ORIGINS.find((candidate) => url.startsWith(candidate + '/'));
  return origin ? apiBaseUrl.replace(/\/+$/, '') + url.slice(origin.length) : url;
}

/**
 * The fetch the Dropbox SDK is given: rewrites hosts for the emulator, carries the request's
 * abort signal (or a timeout of its own), and gives the response the `buffer()` that the SDK's Node code path calls
 * (node-fetch had it; the standard fetch of Node 18+ does not).
 */
export function createDropboxFetch(apiBaseUrl: string | undefined, signal?: AbortSignal, timeoutMs = 30_000): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const response = await fetch(rewriteDropboxUrl(url, apiBaseUrl), { ...init, signal: signal ?? AbortSignal.timeout(timeoutMs) });
    if (!('buffer' in response)) {
      Object.defineProperty(response, 'buffer', { value: async () => new Uint8Array(await response.arrayBuffer()) });
    }
    return response;
  };
}
