/**
 * The few Dropbox HTTP endpoints the app uses, over the platform's `fetch`: nothing here needs
 * Node, so the same code runs in the browser bundle (dev server and production) and in Node tests.
 * We call the HTTP API directly instead of the `dropbox` SDK, whose bundle imports Node's
 * `crypto` and `util` and left the dev server's page blank.
 *
 * Endpoints: https://www.dropbox.com/developers/documentation/http/documentation
 * - RPC (`api.dropboxapi.com/2/...`): JSON argument in the body, JSON result.
 * - Content (`content.dropboxapi.com/2/files/upload|download`): the argument in the
 *   `Dropbox-API-Arg` header, the file in the body; a download's metadata comes back in the
 *   `Dropbox-API-Result` header.
 * - OAuth (`api.dropboxapi.com/oauth2/token`): form-encoded, PKCE needs no app secret.
 */

export const DROPBOX_API_ORIGIN = 'https://api.dropboxapi.com';
export const DROPBOX_CONTENT_ORIGIN = 'https://content.dropboxapi.com';
export const DROPBOX_WEB_ORIGIN = 'https://www.dropbox.com';

/** The metadata Dropbox returns for a file (the fields we read). */
export interface DropboxFileMetadata {
  readonly '.tag'?: 'file';
  readonly name: string;
  readonly rev: string;
  readonly size: number;
  readonly path_display?: string;
}

export interface DropboxFolderEntry {
  readonly '.tag': 'file' | 'folder' | 'deleted';
  readonly name: string;
  readonly rev?: string;
  readonly size?: number;
}

export interface DropboxListFolderResult {
  readonly entries: readonly DropboxFolderEntry[];
  readonly cursor: string;
  readonly has_more: boolean;
}

export interface DropboxTokenResult {
  readonly access_token?: string;
  readonly refresh_token?: string;
  readonly expires_in?: number;
}

/** A non-2xx answer from Dropbox, with the body as Dropbox sent it (JSON when it was JSON, else text). */
export class DropboxApiError extends Error {
  override readonly name = 'DropboxApiError';

  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Headers,
    readonly endpoint: string,
  ) {
    super(`Dropbox answered ${status} to ${endpoint}`);
  }

  /** Dropbox's `error_summary` (e.g. `path/not_found/..`), the OAuth `error`, or the plain-text body. */
  get summary(): string {
    const body = this.body as { error_summary?: unknown; error?: unknown } | string | null;
    if (typeof body === 'string') return body;
    if (body && typeof body.error_summary === 'string') return body.error_summary;
    if (body && typeof body.error === 'string') return body.error;
    const tag = (body?.error as { '.tag'?: unknown } | undefined)?.['.tag'];
    return typeof tag === 'string' ? tag : '';
  }
}

export interface DropboxRequestContext {
  readonly accessToken: string;
  /** Only for the local emulator: one origin that stands for all of Dropbox's hosts. */
  readonly apiBaseUrl?: string;
  readonly signal?: AbortSignal;
}

/** Points a Dropbox URL at `apiBaseUrl` (the local emulator) instead of Dropbox, when one is set. */
export function dropboxUrl(origin: string, path: string, apiBaseUrl: string | undefined): string {
  return (apiBaseUrl ? apiBaseUrl.replace(/\/+$/, '') : origin) + path;
}

/** An RPC endpoint: `arg` as the JSON body, the JSON answer as the result. */
export async function dropboxRpc<T>(endpoint: string, arg: object | null, context: DropboxRequestContext): Promise<T> {
  const response = await fetch(dropboxUrl(DROPBOX_API_ORIGIN, `/2/${endpoint}`, context.apiBaseUrl), {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${context.accessToken}`,
      ...(arg === null ? {} : { 'Content-Type': 'application/json' }),
    },
    body: arg === null ? null : JSON.stringify(arg),
    signal: context.signal,
  });
  await throwUnlessOk(response, endpoint);
  return (await response.json()) as T;
}

/** `files/upload`: the file in the body, its metadata as the result. */
export async function dropboxUpload(arg: object, data: Uint8Array, context: DropboxRequestContext): Promise<DropboxFileMetadata> {
  const response = await fetch(dropboxUrl(DROPBOX_CONTENT_ORIGIN, '/2/files/upload', context.apiBaseUrl), {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${context.accessToken}`,
      'Content-Type': 'application/octet-stream',
      'Dropbox-API-Arg': headerSafeJson(arg),
    },
    body: data as BodyInit,
    signal: context.signal,
  });
  await throwUnlessOk(response, 'files/upload');
  return (await response.json()) as DropboxFileMetadata;
}

/**
 * `files/download`: the bytes and the metadata Dropbox puts in `Dropbox-API-Result`. With
 * `ifNoneMatch` (a rev) it is a GET with ETag caching: an unchanged file answers 304 with no body.
 */
export async function dropboxDownload(
  arg: object,
  context: DropboxRequestContext,
  ifNoneMatch?: string,
): Promise<{ metadata: DropboxFileMetadata; data: Uint8Array } | 'not-modified'> {
  const base = dropboxUrl(DROPBOX_CONTENT_ORIGIN, '/2/files/download', context.apiBaseUrl);
  const response =
    ifNoneMatch !== undefined
      ? await fetch(`${base}?arg=${encodeURIComponent(headerSafeJson(arg))}`, {
          method: 'GET',
          headers: { Authorization: `Bearer ${context.accessToken}`, 'If-None-Match': `W/"${ifNoneMatch}"` },
          signal: context.signal,
          cache: 'no-store',
        })
      : await fetch(base, {
          method: 'POST',
          headers: { Authorization: `Bearer ${context.accessToken}`, 'Dropbox-API-Arg': headerSafeJson(arg) },
          signal: context.signal,
        });
  if (response.status === 304) return 'not-modified';
  await throwUnlessOk(response, 'files/download');
  const data = new Uint8Array(await response.arrayBuffer());
  const header = response.headers.get('Dropbox-API-Result');
  let metadata: DropboxFileMetadata | null = null;
  try {
    metadata = header ? (JSON.parse(header) as DropboxFileMetadata) : null;
  } catch {
    metadata = null;
  }
  if (!metadata || typeof metadata.rev !== 'string') {
    throw new DropboxApiError(response.status, 'the download came without its Dropbox-API-Result header', response.headers, 'files/download');
  }
  return { metadata, data };
}

/** `oauth2/token`: a code or a refresh token exchanged for an access token. */
export async function dropboxToken(params: Record<string, string>, apiBaseUrl: string | undefined, signal?: AbortSignal): Promise<DropboxTokenResult> {
  const response = await fetch(dropboxUrl(DROPBOX_API_ORIGIN, '/oauth2/token', apiBaseUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
    signal,
  });
  await throwUnlessOk(response, 'oauth2/token');
  return (await response.json()) as DropboxTokenResult;
}

/** The consent page's URL. */
export function dropboxAuthorizeUrl(params: Record<string, string>, apiBaseUrl: string | undefined): string {
  return `${dropboxUrl(DROPBOX_WEB_ORIGIN, '/oauth2/authorize', apiBaseUrl)}?${new URLSearchParams(params).toString()}`;
}

async function throwUnlessOk(response: Response, endpoint: string): Promise<void> {
  if (response.ok) return;
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  throw new DropboxApiError(response.status, body, response.headers, endpoint);
}

/** JSON that is safe in an HTTP header: Dropbox wants every non-ASCII character escaped. */
export function headerSafeJson(value: object): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
