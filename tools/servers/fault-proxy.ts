/**
 * A loopback HTTP proxy that sits in front of a real WebDAV server and, on command, misbehaves
 * the way networks and servers do: drops the connection before or in the middle of a body,
 * delays, answers 500/502/503/507 without or after forwarding, truncates a response, or serves a
 * stale copy of a file with its old ETag. Some modes play what particular servers do: answer 404
 * or 500 where the server says 409 (a PUT under a missing folder), close a kept-alive connection
 * after a DELETE without saying so, or refuse a conditional PUT for a second after each write (weak
 * ETags, Apache's `FileETag MTime Size`). Only ever listens on and forwards to 127.0.0.1.
 *
 * Apart from faults per request, the proxy can play a server's nature for every request:
 * - `conditions: 'racy'`: If-Match / If-None-Match checked by the proxy, then the write forwarded
 *   unconditionally a moment later, so two conditional PUTs on one ETag both pass (nephele and Apache
 *   do this in about a quarter of tries, measured).
 * - `writes: 'in-place'`: a PUT is visible half written for a moment (a reader gets a torn file), and
 *   two PUTs of one file that overlap leave a mix of both (the first half of one, the rest of the other).
 */
import { createServer, IncomingMessage, request as httpRequest, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export type ProxyFault =
  | 'pass'
  | 'drop-before'
  | 'drop-mid-body'
  | 'delay'
  | 'status-500'
  | 'status-502'
  | 'status-503'
  | 'status-507'
  | 'applied-then-502'
  | 'truncate'
  | 'stale'
  | 'parent-404'
  | 'parent-500'
  | 'reset-after-delete'
  | 'weak-etag';

export const PROXY_FAULTS: readonly ProxyFault[] = ['drop-before', 'drop-mid-body', 'delay', 'status-500', 'status-502', 'status-503', 'status-507', 'applied-then-502', 'truncate', 'stale'];

interface Captured {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

export interface ServerNature {
  readonly conditions: 'as-server' | 'racy';
  readonly writes: 'as-server' | 'in-place';
  /** How long a racy check waits before writing, and an in-place write stays half done (default 60 / 80 ms). */
  readonly windowMs?: number;
}

export interface FaultProxy {
  readonly url: string;
  /** How the server behind behaves on every request (default: as it really does). */
  nature: ServerNature;
  /** Decides the fault for each request; default: pass everything. */
  choose: (method: string, path: string) => ProxyFault;
  readonly counts: Record<string, number>;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, port = 0): Promise<FaultProxy> {
  const upstream = new URL(target);
  if (upstream.hostname !== '127.0.0.1' && upstream.hostname !== 'localhost') throw new Error('The fault proxy only forwards to loopback.');
  /** The previous successful GET answer per path: what a stale cache would serve. */
  const previous = new Map<string, Captured>();
  const latest = new Map<string, Captured>();
  const counts: Record<string, number> = {};
  /** When each path was last written through this proxy (for weak ETags). */
  const writtenAt = new Map<string, number>();

  const forward = (req: IncomingMessage, body: Buffer, change: { method?: string; drop?: string[] } = {}): Promise<Captured> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
      for (const name of change.drop ?? []) delete headers[name];
      delete headers['transfer-encoding'];
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: change.method ?? req.method, path: req.url, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const send = (res: ServerResponse, answer: Captured) => {
    const headers = { ...answer.headers };
    delete headers['transfer-encoding'];
    headers['content-length'] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  };

  const proxy: FaultProxy = {
    url: '',
    nature: { conditions: 'as-server', writes: 'as-server' },
    choose: () => 'pass',
    counts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  /** PUTs of each path under way (in-place writes): each with its body and the PUTs it overlapped. */
  const writing = new Map<string, Set<{ body: Buffer; overlapped: Buffer[] }>>();
  /** The ETag each conditional PUT under way was checked against (racy conditions), per path. */
  const checking = new Map<string, string[]>();
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** A PUT as a server of `proxy.nature` does it. */
  const put = async (req: IncomingMessage, body: Buffer, path: string): Promise<Captured> => {
    const conditional = req.headers['if-match'] !== undefined || req.headers['if-none-match'] !== undefined;
    let drop: string[] = [];
    if (conditional && proxy.nature.conditions === 'racy') {
      // Check first, write later: whatever another request writes in between is not seen.
      const head = await forward(req, Buffer.alloc(0), { method: 'HEAD', drop: ['if-match', 'if-none-match'] });
      const current = head.status === 200 ? strongTag(head.headers['etag']) : null;
      const wanted = req.headers['if-match'];
      const refused = wanted !== undefined ? current === null || !String(wanted).split(',').map(strongTag).includes(current) : head.status === 200;
      if (refused) return { status: 412, headers: { 'content-type': 'text/plain' }, body: Buffer.from('precondition failed') };
      // Another PUT passed the same check and has not written yet: both will write (the race).
      const passed = checking.get(path) ?? [];
      if (passed.includes(current ?? '')) counts['racy-both-passed'] = (counts['racy-both-passed'] ?? 0) + 1;
      passed.push(current ?? '');
      checking.set(path, passed);
      await pause(proxy.nature.windowMs ?? 60);
      passed.splice(passed.indexOf(current ?? ''), 1);
      drop = ['if-match', 'if-none-match'];
    }
    if (proxy.nature.writes !== 'in-place' || body.length < 2) return forward(req, body, { drop });
    // Written in place: the first half is on disk (and readable) before the rest.
    const others = writing.get(path) ?? new Set<{ body: Buffer; overlapped: Buffer[] }>();
    writing.set(path, others);
    const mine = { body, overlapped: [] as Buffer[] };
    for (const other of others) {
      other.overlapped.push(body);
      mine.overlapped.push(other.body);
    }
    others.add(mine);
    try {
      const half = await forward(req, body.subarray(0, Math.floor(body.length / 2)), { drop });
      if (half.status >= 300) return half;
      await pause(proxy.nature.windowMs ?? 80);
      // Another PUT of this file wrote into the same bytes meanwhile: the file ends as our head on its
      // tail, and stays that way (the other, finishing, writes its head on our tail likewise).
      const other = mine.overlapped.at(-1);
      const cut = Math.floor(body.length / 2);
      const final = other ? Buffer.concat([body.subarray(0, cut), other.subarray(Math.min(cut, other.length))]) : body;
      if (other) counts['torn-mix'] = (counts['torn-mix'] ?? 0) + 1;
      return await forward(req, final, { drop: ['if-match', 'if-none-match'] });
    } finally {
      others.delete(mine);
      if (others.size === 0) writing.delete(path);
    }
  };

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = (req.url ?? '/').split('?')[0];
    const fault = proxy.choose(req.method ?? 'GET', path);
    counts[fault] = (counts[fault] ?? 0) + 1;
    try {
      switch (fault) {
        case 'drop-before':
          req.socket.destroy();
          return;
        case 'status-500':
        case 'status-502':
        case 'status-503':
        case 'status-507':
          res.writeHead(Number(fault.slice(7)), { 'content-type': 'text/plain' });
          res.end('injected by the fault proxy');
          return;
        case 'delay':
          await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(Math.random() * 250)));
          break;
        case 'weak-etag':
          if (req.method === 'PUT' && req.headers['if-match'] && Date.now() - (writtenAt.get(path) ?? 0) < 1_000) {
            res.writeHead(412, { 'content-type': 'text/plain' });
            res.end('weak ETag: not comparable yet');
            return;
          }
          break;
        case 'stale': {
          const old = req.method === 'GET' ? previous.get(path) : undefined;
          if (old) {
            send(res, old);
            return;
          }
          break;
        }
        default:
          break;
      }
      const answer = req.method === 'PUT' && (proxy.nature.conditions === 'racy' || proxy.nature.writes === 'in-place') ? await put(req, body, path) : await forward(req, body);
      if (req.method === 'PUT' && answer.status < 300) writtenAt.set(path, Date.now());
      if ((fault === 'parent-404' || fault === 'parent-500') && req.method === 'PUT' && answer.status === 409) {
        send(res, { status: fault === 'parent-404' ? 404 : 500, headers: { 'content-type': 'text/plain' }, body: Buffer.from('no such collection') });
        return;
      }
      if (fault === 'reset-after-delete' && req.method === 'DELETE') {
        // The answer, then the connection closed with no "Connection: close": the client's next request on it fails.
        res.on('finish', () => setTimeout(() => req.socket.destroy(), 5));
        send(res, answer);
        return;
      }
      if (req.method === 'GET' && answer.status === 200) {
        const last = latest.get(path);
        if (last && !last.body.equals(answer.body)) previous.set(path, last);
        latest.set(path, answer);
      }
      if (fault === 'applied-then-502') {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('the server applied it, then the gateway failed');
        return;
      }
      if (fault === 'drop-mid-body' && answer.body.length > 1) {
        const headers: Record<string, string | string[] | undefined> = { ...answer.headers, 'content-length': String(answer.body.length) };
        delete headers['transfer-encoding'];
        res.writeHead(answer.status, headers);
        res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
        setTimeout(() => req.socket.destroy(), 5);
        return;
      }
      if (fault === 'truncate' && answer.body.length > 1) {
        send(res, { ...answer, body: answer.body.subarray(0, Math.floor(answer.body.length * 0.6)) });
        return;
      }
      send(res, answer);
    } catch {
      req.socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  server.keepAliveTimeout = 1_000;
  (proxy as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

function strongTag(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  const value = String(raw).trim().replace(/^W\//i, '').replace(/^"+|"+$/g, '');
  return value === '' ? null : value;
}
