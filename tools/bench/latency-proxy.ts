/**
 * A tiny loopback HTTP proxy in front of the WebDAV server: it delays every request by a fixed
 * number of milliseconds (one simulated round trip) and counts what crosses it: requests, and
 * header and body bytes each way. The counts are what went over the wire, including requests a
 * provider makes that the engine does not see (PUT read-backs, HEADs, folder creation).
 */
import { Agent, createServer, request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface WireRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly sentHeaderBytes: number;
  readonly sentBodyBytes: number;
  readonly receivedHeaderBytes: number;
  readonly receivedBodyBytes: number;
}

export interface WireTotals {
  requests: number;
  /** Request bodies (uploads). */
  bytesSent: number;
  /** Response bodies (downloads). */
  bytesReceived: number;
  /** Request lines + headers, and status lines + headers. */
  headerBytes: number;
  log: WireRequest[];
}

export interface LatencyProxy {
  readonly url: string;
  totals: WireTotals;
  /** Starts a new count and returns the previous one. */
  reset(): WireTotals;
  close(): Promise<void>;
}

function emptyTotals(): WireTotals {
  return { requests: 0, bytesSent: 0, bytesReceived: 0, headerBytes: 0, log: [] };
}

function headerSize(firstLine: string, raw: string[]): number {
  let size = firstLine.length + 2 + 2;
  for (let i = 0; i < raw.length; i += 2) size += raw[i].length + 2 + Buffer.byteLength(raw[i + 1]) + 2;
  return size;
}

export async function startLatencyProxy(target: string, latencyMs: number): Promise<LatencyProxy> {
  const upstream = new URL(target);
  if (upstream.hostname !== '127.0.0.1' && upstream.hostname !== 'localhost') throw new Error('The bench proxy only forwards to loopback.');
  const proxy: LatencyProxy = {
    url: '',
    totals: emptyTotals(),
    reset() {
      const previous = proxy.totals;
      proxy.totals = emptyTotals();
      return previous;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  // A fresh upstream connection per request: an idle keep-alive socket to the server could be
  // closed by it while the engine holds the event loop for seconds (50,000 tasks), and the reset
  // would show up as a failed request that has nothing to do with what is measured.
  const upstreamAgent = new Agent({ keepAlive: false });
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host }, agent: upstreamAgent }, (answer) => {
      const parts: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => parts.push(chunk));
      answer.on('end', () => {
        const payload = Buffer.concat(parts);
        const headers = { ...answer.headers };
        delete headers['transfer-encoding'];
        headers['content-length'] = String(payload.length);
        res.writeHead(answer.statusCode ?? 502, headers);
        res.end(payload);
        const totals = proxy.totals;
        const sentHeaderBytes = headerSize(`${req.method} ${req.url} HTTP/1.1`, req.rawHeaders);
        const receivedHeaderBytes = headerSize(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage ?? ''}`, answer.rawHeaders);
        totals.requests++;
        totals.bytesSent += body.length;
        totals.bytesReceived += payload.length;
        totals.headerBytes += sentHeaderBytes + receivedHeaderBytes;
        totals.log.push({
          method: req.method ?? '',
          path: decodeURIComponent((req.url ?? '').split('?')[0]),
          status: answer.statusCode ?? 0,
          sentHeaderBytes,
          sentBodyBytes: body.length,
          receivedHeaderBytes,
          receivedBodyBytes: payload.length,
        });
      });
      answer.on('error', () => req.socket.destroy());
    });
    out.on('error', () => req.socket.destroy());
    out.end(body);
  });
  // Same on the client side: keep idle client connections far longer than any pause in the run.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 130_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (proxy as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return proxy;
}
