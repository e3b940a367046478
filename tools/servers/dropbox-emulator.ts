import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RunningServer, serveOnLoopback } from './running-server';

/**
 * A Dropbox API emulator with Dropbox's semantics for the endpoints the provider uses, on one
 * loopback port for all of Dropbox's hosts (the provider's fetch rewrites them):
 * files/upload (add / overwrite / update + rev, strict_conflict), files/download, files/get_metadata,
 * files/delete_v2, files/list_folder (+ /continue), users/get_current_account, oauth2/authorize
 * (shows the code to paste), oauth2/token (authorization_code with PKCE, refresh_token).
 */
export interface DropboxEmulatorOptions {
  readonly appKey?: string;
  /** How long an access token stays valid. Dropbox: 4 hours. */
  readonly accessTokenLifetimeMs?: number;
  /** Entries per list_folder page (Dropbox: up to about 2000). */
  readonly pageSize?: number;
  /** Total bytes the account may hold; uploads beyond fail with insufficient_space. */
  readonly quotaBytes?: number;
  /**
   * How long one write (upload, delete) holds the account's namespace lock. A write that arrives
   * meanwhile gets 429 too_many_write_operations, as on Dropbox (its performance guide: parallel
   * writes in one namespace contend for one lock). 0 turns contention off. Default 15 ms.
   */
  readonly writeLockMs?: number;
}

export const DROPBOX_EMULATOR_APP_KEY = 'emulator-app-key';

interface StoredFile {
  readonly pathDisplay: string;
  readonly data: Buffer;
  readonly rev: string;
  readonly id: string;
  readonly serverModified: string;
}

interface AccessToken {
  readonly expiresAt: number;
}

export class DropboxEmulator {
  readonly appKey: string;
  accessTokenLifetimeMs: number;
  pageSize: number;
  quotaBytes: number;
  /** Keyed by lower-case path, as Dropbox paths are case-insensitive. */
  private readonly files = new Map<string, StoredFile>();
  private readonly folders = new Set<string>(['']);
  private readonly codes = new Map<string, { challenge: string; clientId: string }>();
  private readonly refreshTokens = new Set<string>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly cursors = new Map<string, { entries: object[]; offset: number }>();
  private revCounter = 0x10000000;
  private rateLimits: number[] = [];
  /** Requests answered, by endpoint: lets tests count what a provider did. */
  readonly requestCounts = new Map<string, number>();
  /** File bytes served by files/download (a 304 serves none). */
  downloadedBytes = 0;
  writeLockMs: number;
  /** Writes refused with 429 too_many_write_operations. */
  writeContentions = 0;
  private writing = 0;

  constructor(options: DropboxEmulatorOptions = {}) {
    this.appKey = options.appKey ?? DROPBOX_EMULATOR_APP_KEY;
    this.accessTokenLifetimeMs = options.accessTokenLifetimeMs ?? 4 * 3600_000;
    this.pageSize = options.pageSize ?? 2000;
    this.quotaBytes = options.quotaBytes ?? Number.POSITIVE_INFINITY;
    this.writeLockMs = options.writeLockMs ?? 15;
  }

  /** Test hook: the next `count` API calls get 429 too_many_requests with this retry_after. */
  rateLimitNext(retryAfterSeconds: number, count = 1): void {
    for (let i = 0; i < count; i += 1) this.rateLimits.push(retryAfterSeconds);
  }

  /** Test hook: tokens as if the user had gone through authorize + token (skips the browser step). */
  issueTokens(): { accessToken: string; refreshToken: string; expiresInSeconds: number } {
    const refreshToken = token('rt');
    this.refreshTokens.add(refreshToken);
    return { accessToken: this.newAccessToken(), refreshToken, expiresInSeconds: Math.round(this.accessTokenLifetimeMs / 1000) };
  }

  /** Test hook: every access token issued so far is now expired (refresh tokens stay valid). */
  expireAccessTokens(): void {
    for (const key of this.accessTokens.keys()) this.accessTokens.set(key, { expiresAt: 0 });
  }

  /** Test hook: the user revoked the app; refresh tokens stop working. */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(request);
    this.requestCounts.set(url.pathname, (this.requestCounts.get(url.pathname) ?? 0) + 1);
    if (url.pathname === '/oauth2/authorize' && request.method === 'GET') return this.authorize(url, response);
    if (url.pathname === '/oauth2/token' && request.method === 'POST') return this.token(url, request, body, response);
    if (!url.pathname.startsWith('/2/')) return sendJson(response, 404, { error: 'not_found' });
    const route = url.pathname.slice('/2/'.length);
    // Content-download endpoints also take GET, with the argument in `arg` and ETag caching (Dropbox's documentation).
    const isGetDownload = request.method === 'GET' && route === 'files/download';
    if (request.method !== 'POST' && !isGetDownload) return sendText(response, 405, 'Use POST.');
    const auth = this.checkAccessToken(request);
    if (auth) return sendJson(response, 401, { error_summary: `${auth}/..`, error: { '.tag': auth } });
    const retryAfter = this.rateLimits.shift();
    if (retryAfter !== undefined) {
      response.setHeader('Retry-After', String(retryAfter));
      return sendJson(response, 429, { error_summary: 'too_many_requests/..', error: { reason: { '.tag': 'too_many_requests' }, retry_after: retryAfter } });
    }
    const isContent = route === 'files/upload' || route === 'files/download';
    let arg: Record<string, unknown>;
    try {
      const raw = isGetDownload ? (url.searchParams.get('arg') ?? '') : isContent ? String(request.headers['dropbox-api-arg'] ?? '') : body.toString('utf8');
      arg = raw === '' || raw === 'null' ? {} : (JSON.parse(raw) as Record<string, unknown>);
    } catch {
      return sendText(response, 400, `Error in call to API function "${route}": could not decode input as JSON`);
    }
    const isWrite = route === 'files/upload' || route === 'files/delete_v2';
    if (isWrite && this.writeLockMs > 0) {
      if (this.writing > 0) return this.writeContention(response);
      // Dropbox answers a write once it holds and has released the namespace lock.
      this.writing += 1;
      await new Promise((resolve) => setTimeout(resolve, this.writeLockMs));
      this.writing -= 1;
    }
    switch (route) {
      case 'files/upload':
        return this.upload(arg, body, response);
      case 'files/download':
        return this.download(arg, response, isGetDownload ? request.headers['if-none-match'] : undefined);
      case 'files/get_metadata':
        return this.getMetadata(arg, response);
      case 'files/delete_v2':
        return this.deleteV2(arg, response);
      case 'files/list_folder':
        return this.listFolder(arg, response);
      case 'files/list_folder/continue':
        return this.listFolderContinue(arg, response);
      case 'users/get_current_account':
        return sendJson(response, 200, {
          account_id: 'dbid:emulator',
          name: { display_name: 'Emulated User' },
          email: 'user@example.invalid',
          account_type: { '.tag': 'basic' },
        });
      default:
        return sendText(response, 400, `Unknown API function: "${route}"`);
    }
  }

  /** Dropbox's answer to a write while another holds the lock: JSON or, sometimes, plain text. */
  private writeContention(response: ServerResponse): void {
    this.writeContentions += 1;
    response.setHeader('Retry-After', '1');
    if (this.writeContentions % 2 === 0) return sendText(response, 429, 'too_many_write_operations');
    return sendJson(response, 429, {
      error_summary: 'too_many_write_operations/..',
      error: { reason: { '.tag': 'too_many_write_operations' }, retry_after: 1 },
    });
  }

  private authorize(url: URL, response: ServerResponse): void {
    const clientId = url.searchParams.get('client_id') ?? '';
    const challenge = url.searchParams.get('code_challenge') ?? '';
    if (clientId !== this.appKey) return sendText(response, 400, 'Invalid client_id.');
    if (url.searchParams.get('response_type') !== 'code') return sendText(response, 400, 'Only response_type=code is emulated.');
    if (!challenge || url.searchParams.get('code_challenge_method') !== 'S256') return sendText(response, 400, 'PKCE with S256 is required.');
    const code = token('code');
    this.codes.set(code, { challenge, clientId });
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><title>Dropbox emulator</title><p>Enter this code into the app:</p><code id="auth-code">${code}</code>`);
  }

  private token(url: URL, request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const params = new URLSearchParams(url.search);
    if (String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      new URLSearchParams(body.toString('utf8')).forEach((value, key) => params.set(key, value));
    }
    const invalid = (description: string) => sendJson(response, 400, { error: 'invalid_grant', error_description: description });
    if (params.get('client_id') !== this.appKey) return sendJson(response, 400, { error: 'invalid_client', error_description: 'Invalid client_id.' });
    if (params.get('grant_type') === 'authorization_code') {
      const code = params.get('code') ?? '';
      const pending = this.codes.get(code);
      this.codes.delete(code);
      if (!pending) return invalid('code doesn\'t exist or has expired');
      const verifier = params.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (challenge !== pending.challenge) return invalid('invalid code verifier');
      const refreshToken = token('rt');
      this.refreshTokens.add(refreshToken);
      return sendJson(response, 200, {
        access_token: this.newAccessToken(),
        token_type: 'bearer',
        expires_in: Math.round(this.accessTokenLifetimeMs / 1000),
        refresh_token: refreshToken,
        scope: 'files.content.read files.content.write files.metadata.read files.metadata.write',
        uid: '1',
        account_id: 'dbid:emulator',
      });
    }
    if (params.get('grant_type') === 'refresh_token') {
      if (!this.refreshTokens.has(params.get('refresh_token') ?? '')) return invalid('refresh token is invalid or revoked');
      return sendJson(response, 200, { access_token: this.newAccessToken(), token_type: 'bearer', expires_in: Math.round(this.accessTokenLifetimeMs / 1000) });
    }
    return sendJson(response, 400, { error: 'unsupported_grant_type' });
  }

  private newAccessToken(): string {
    const accessToken = token('sl');
    this.accessTokens.set(accessToken, { expiresAt: Date.now() + this.accessTokenLifetimeMs });
    return accessToken;
  }

  /** Returns the 401 error tag, or null when the bearer token is valid. */
  private checkAccessToken(request: IncomingMessage): string | null {
    const header = String(request.headers.authorization ?? '');
    const match = /^Bearer (.+)$/.exec(header);
    if (!match) return 'missing_access_token';
    const known = this.accessTokens.get(match[1]!);
    if (!known) return 'invalid_access_token';
    if (known.expiresAt <= Date.now()) return 'expired_access_token';
    return null;
  }

  private upload(arg: Record<string, unknown>, data: Buffer, response: ServerResponse): void {
    const path = String(arg['path'] ?? '');
    if (!isValidPath(path)) return malformedPath(response, 'files/upload', path);
    const key = path.toLowerCase();
    const mode = (arg['mode'] ?? { '.tag': 'add' }) as { '.tag': string; update?: string } | string;
    const tag = typeof mode === 'string' ? mode : mode['.tag'];
    const strict = arg['strict_conflict'] === true;
    const existing = this.files.get(key);
    const conflict = (kind: 'file' | 'folder') =>
      sendJson(response, 409, {
        error_summary: `path/conflict/${kind}/..`,
        error: { '.tag': 'path', reason: { '.tag': 'conflict', conflict: { '.tag': kind } }, upload_session_id: token('us') },
      });
    if (this.folders.has(key)) return conflict('folder');
    const parents = ancestors(key);
    if (parents.some((parent) => this.files.has(parent))) return conflict('file');
    const identical = existing !== undefined && existing.data.equals(data);
    if (tag === 'add') {
      if (existing) return !strict && identical ? sendJson(response, 200, metadata(existing)) : conflict('file');
    } else if (tag === 'update') {
      const rev = typeof mode === 'string' ? undefined : mode.update;
      if (!existing) {
        if (strict) return conflict('file');
      } else if (existing.rev !== rev) {
        return !strict && identical ? sendJson(response, 200, metadata(existing)) : conflict('file');
      }
    } else if (tag !== 'overwrite') {
      return sendText(response, 400, `Error in call to API function "files/upload": unknown write mode "${tag}"`);
    }
    // The same bytes again: Dropbox keeps the file as it is, with its revision.
    if (identical) return sendJson(response, 200, metadata(existing));
    if (this.usedBytes() - (existing?.data.length ?? 0) + data.length > this.quotaBytes) {
      return sendJson(response, 409, {
        error_summary: 'path/insufficient_space/..',
        error: { '.tag': 'path', reason: { '.tag': 'insufficient_space' }, upload_session_id: token('us') },
      });
    }
    this.revCounter += 1;
    const stored: StoredFile = {
      pathDisplay: path,
      data: Buffer.from(data),
      rev: this.revCounter.toString(16).padStart(12, '0'),
      id: existing?.id ?? `id:${token('f')}`,
      serverModified: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    this.files.set(key, stored);
    for (const parent of parents) this.folders.add(parent);
    sendJson(response, 200, metadata(stored));
  }

  private download(arg: Record<string, unknown>, response: ServerResponse, ifNoneMatch?: string): void {
    const path = String(arg['path'] ?? '');
    if (!isValidPath(path)) return malformedPath(response, 'files/download', path);
    const file = this.files.get(path.toLowerCase());
    if (!file) {
      const tag = this.folders.has(path.toLowerCase()) ? 'not_file' : 'not_found';
      return sendJson(response, 409, { error_summary: `path/${tag}/..`, error: { '.tag': 'path', path: { '.tag': tag } } });
    }
    const etag = `W/"${file.rev}"`;
    if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((candidate) => candidate.trim() === etag)) {
      response.writeHead(304, { ETag: etag });
      response.end();
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(file.data.length),
      'Dropbox-API-Result': asciiJson(metadata(file)),
      ETag: etag,
    });
    this.downloadedBytes += file.data.length;
    response.end(file.data);
  }

  private getMetadata(arg: Record<string, unknown>, response: ServerResponse): void {
    const path = String(arg['path'] ?? '');
    const key = path.toLowerCase();
    const file = this.files.get(key);
    if (file) return sendJson(response, 200, metadata(file));
    if (key !== '' && this.folders.has(key)) return sendJson(response, 200, folderMetadata(path));
    sendJson(response, 409, { error_summary: 'path/not_found/..', error: { '.tag': 'path', path: { '.tag': 'not_found' } } });
  }

  private deleteV2(arg: Record<string, unknown>, response: ServerResponse): void {
    const path = String(arg['path'] ?? '');
    const key = path.toLowerCase();
    const file = this.files.get(key);
    if (file) {
      this.files.delete(key);
      return sendJson(response, 200, { metadata: metadata(file) });
    }
    if (key !== '' && this.folders.has(key)) {
      for (const candidate of [...this.files.keys()]) if (candidate.startsWith(key + '/')) this.files.delete(candidate);
      for (const candidate of [...this.folders]) if (candidate === key || candidate.startsWith(key + '/')) this.folders.delete(candidate);
      return sendJson(response, 200, { metadata: folderMetadata(path) });
    }
    sendJson(response, 409, { error_summary: 'path_lookup/not_found/..', error: { '.tag': 'path_lookup', path_lookup: { '.tag': 'not_found' } } });
  }

  private listFolder(arg: Record<string, unknown>, response: ServerResponse): void {
    const path = String(arg['path'] ?? '');
    if (path === '/') return malformedPath(response, 'files/list_folder', path);
    const key = path.toLowerCase();
    if (this.files.has(key)) {
      return sendJson(response, 409, { error_summary: 'path/not_folder/..', error: { '.tag': 'path', path: { '.tag': 'not_folder' } } });
    }
    if (!this.folders.has(key)) {
      return sendJson(response, 409, { error_summary: 'path/not_found/..', error: { '.tag': 'path', path: { '.tag': 'not_found' } } });
    }
    const recursive = arg['recursive'] === true;
    const inFolder = (candidate: string) =>
      candidate.startsWith(key + '/') && (recursive || !candidate.slice(key.length + 1).includes('/'));
    const entries: object[] = [
      ...[...this.folders].filter(inFolder).map((folder) => folderMetadata(this.displayPathOfFolder(folder))),
      ...[...this.files.entries()].filter(([candidate]) => inFolder(candidate)).map(([, file]) => metadata(file)),
    ];
    const limit = Math.min(typeof arg['limit'] === 'number' ? arg['limit'] : this.pageSize, this.pageSize);
    const cursor = token('cursor');
    this.cursors.set(cursor, { entries, offset: 0 });
    this.sendPage(cursor, limit, response);
  }

  private listFolderContinue(arg: Record<string, unknown>, response: ServerResponse): void {
    const cursor = String(arg['cursor'] ?? '');
    if (!this.cursors.has(cursor)) return sendJson(response, 409, { error_summary: 'reset/..', error: { '.tag': 'reset' } });
    this.sendPage(cursor, this.pageSize, response);
  }

  private sendPage(cursor: string, limit: number, response: ServerResponse): void {
    const listing = this.cursors.get(cursor)!;
    const page = listing.entries.slice(listing.offset, listing.offset + limit);
    listing.offset += page.length;
    const hasMore = listing.offset < listing.entries.length;
    if (!hasMore) this.cursors.delete(cursor);
    sendJson(response, 200, { entries: page, cursor, has_more: hasMore });
  }

  private displayPathOfFolder(key: string): string {
    const file = [...this.files.entries()].find(([candidate]) => candidate.startsWith(key + '/'));
    return file ? file[1].pathDisplay.slice(0, key.length) : key;
  }

  private usedBytes(): number {
    let total = 0;
    for (const file of this.files.values()) total += file.data.length;
    return total;
  }
}

export interface RunningDropboxEmulator extends RunningServer {
  readonly emulator: DropboxEmulator;
}

export async function startDropboxEmulator(port = 0, options: DropboxEmulatorOptions = {}): Promise<RunningDropboxEmulator> {
  const emulator = new DropboxEmulator(options);
  const running = await serveOnLoopback('Dropbox emulator', port, (request, response) => emulator.handle(request, response));
  return { ...running, emulator };
}

function metadata(file: StoredFile): object {
  const name = file.pathDisplay.slice(file.pathDisplay.lastIndexOf('/') + 1);
  return {
    '.tag': 'file',
    name,
    path_lower: file.pathDisplay.toLowerCase(),
    path_display: file.pathDisplay,
    id: file.id,
    client_modified: file.serverModified,
    server_modified: file.serverModified,
    rev: file.rev,
    size: file.data.length,
    is_downloadable: true,
    content_hash: dropboxContentHash(file.data),
  };
}

function folderMetadata(pathDisplay: string): object {
  return {
    '.tag': 'folder',
    name: pathDisplay.slice(pathDisplay.lastIndexOf('/') + 1),
    path_lower: pathDisplay.toLowerCase(),
    path_display: pathDisplay,
    id: `id:folder-${createHash('sha1').update(pathDisplay.toLowerCase()).digest('hex').slice(0, 12)}`,
  };
}

/** Dropbox's content_hash: SHA-256 over the concatenated SHA-256s of 4 MiB blocks. */
function dropboxContentHash(data: Buffer): string {
  const blockHashes: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += 4 * 1024 * 1024) {
    blockHashes.push(createHash('sha256').update(data.subarray(offset, offset + 4 * 1024 * 1024)).digest());
  }
  return createHash('sha256').update(Buffer.concat(blockHashes)).digest('hex');
}

function isValidPath(path: string): boolean {
  return path.startsWith('/') && !path.endsWith('/') && !path.includes('//');
}

function ancestors(key: string): string[] {
  const segments = key.split('/').slice(1, -1);
  return segments.map((_, index) => '/' + segments.slice(0, index + 1).join('/'));
}

function malformedPath(response: ServerResponse, route: string, path: string): void {
  sendText(response, 400, `Error in call to API function "${route}": request body: path: '${path}' did not match pattern '(/(.|[\\r\\n])*)|(ns:[0-9]+(/.*)?)'`);
}

function token(prefix: string): string {
  return `${prefix}.${randomBytes(18).toString('base64url')}`;
}

/** JSON safe in an HTTP header, as Dropbox sends it. */
function asciiJson(value: object): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
