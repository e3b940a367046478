import { SyncError } from '../engine/sync-error';

/** What a server must allow so that this app, served from another origin, may talk to it. */
export interface CorsRequirements {
  readonly methods: readonly string[];
  readonly requestHeaders: readonly string[];
  readonly exposedHeaders: readonly string[];
}

export const WEBDAV_CORS_REQUIREMENTS: CorsRequirements = {
  methods: ['GET', 'HEAD', 'PUT', 'DELETE', 'PROPFIND', 'MKCOL', 'OPTIONS'],
  requestHeaders: ['Authorization', 'Content-Type', 'Depth', 'If-Match', 'If-None-Match'],
  exposedHeaders: ['ETag', 'OC-ETag'],
};

/**
 * A request that got no HTTP answer at all: a network failure, or (in a browser) an answer the
 * browser withheld because the server's CORS headers do not allow this origin. `fetch` reports
 * both as the same TypeError, so in a browser we ask once more in `no-cors` mode: if that reaches
 * the server, the server is up and it is CORS that blocked us. Not perfect (a proxy or a captive
 * portal can answer in the server's place), which is why the message names both possibilities.
 */
export async function describeUnansweredRequest(
  url: string,
  what: string,
  cause: unknown,
  cors: CorsRequirements,
): Promise<SyncError> {
  const host = safeOrigin(url);
  if (runsInBrowser() && navigator.onLine !== false && safeOrigin(location.href) !== host && (await reachableWithoutCors(url))) {
    return new SyncError(
      'cors',
      `The browser blocked the answer from ${host} to ${what} (CORS). The server is reachable but does not allow this app's origin. ` +
        `On the server, allow the origin ${location.origin}, the methods ${cors.methods.join(', ')}, ` +
        `the request headers ${cors.requestHeaders.join(', ')}, and expose the response headers ${cors.exposedHeaders.join(', ')}.`,
      { cause },
    );
  }
  return new SyncError(
    'offline',
    `${what} got no answer from ${host}: the device is offline, or the server is down or unreachable (${networkReason(cause)}).`,
    { cause },
  );
}

/** Any fetch-level failure: browsers throw TypeError, node-fetch FetchError, undici TypeError with a cause. */
export function isUnansweredRequest(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'TypeError' || error.name === 'FetchError' || error.name === 'AbortError';
}

/** A connection that was closed under the request (reset, or ended before any answer), as opposed to no server at all. */
export function isConnectionReset(error: unknown): boolean {
  if (!isUnansweredRequest(error) || (error as Error).name === 'AbortError') return false;
  const code = networkReason(error);
  return ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'].includes(code) || /socket hang up|other side closed/i.test(code);
}

/** The URL's origin, never its user name or password. */
export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the server';
  }
}

/** The URL without credentials, query or fragment, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'the server';
  }
}

function runsInBrowser(): boolean {
  return typeof document !== 'undefined' && typeof location !== 'undefined' && typeof navigator !== 'undefined';
}

async function reachableWithoutCors(url: string): Promise<boolean> {
  try {
    await fetch(url, { method: 'GET', mode: 'no-cors', cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(5000) });
    return true;
  } catch {
    return false;
  }
}

function networkReason(cause: unknown): string {
  const nested = (cause as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = (cause as { code?: unknown } | undefined)?.code ?? nested?.code;
  if (typeof code === 'string') return code;
  return cause instanceof Error ? cause.message : String(cause);
}
