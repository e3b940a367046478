import type { IncomingMessage, ServerResponse } from 'node:http';

/** Methods and headers the browser build needs from a sync server (docs/providers.md). */
export const CORS_ALLOWED_METHODS = 'GET, HEAD, PUT, POST, DELETE, OPTIONS, PROPFIND, PROPPATCH, MKCOL, MOVE, COPY, LOCK, UNLOCK';
export const CORS_ALLOWED_HEADERS =
  'Authorization, Content-Type, Depth, Destination, Overwrite, If-Match, If-None-Match, Accept, Dropbox-API-Arg, Dropbox-API-Path-Root, X-Requested-With';
export const CORS_EXPOSED_HEADERS = 'ETag, OC-ETag, DAV, Content-Length, Retry-After, Dropbox-API-Result, Location';

/**
 * Adds the CORS headers a browser needs to every answer, and answers preflights itself.
 * Returns true when the request was a preflight and has been answered.
 */
export function applyCors(request: IncomingMessage, response: ServerResponse): boolean {
  const origin = request.headers.origin;
  if (!origin) return false;
  response.setHeader('Access-Control-Allow-Origin', origin);
  response.setHeader('Access-Control-Allow-Credentials', 'true');
  response.setHeader('Vary', 'Origin');
  response.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS);
  const isPreflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
  if (isPreflight) {
    response.setHeader('Access-Control-Allow-Methods', CORS_ALLOWED_METHODS);
    response.setHeader('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS);
    response.setHeader('Access-Control-Max-Age', '600');
    response.writeHead(204);
    response.end();
    return true;
  }
  keepOurCorsHeaders(response);
  return false;
}

/**
 * webdav-server v2 sets its own CORS headers (`Allow-Origin: *` with credentials, which browsers
 * refuse, and a short expose list without ETag). Ours are set first; later ones are ignored.
 */
function keepOurCorsHeaders(response: ServerResponse): void {
  const setHeader = response.setHeader.bind(response);
  response.setHeader = ((name: string, value: number | string | readonly string[]) =>
    name.toLowerCase().startsWith('access-control-') ? response : setHeader(name, value)) as ServerResponse['setHeader'];
}
