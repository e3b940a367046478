import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { applyCors } from './cors';
import { FaultInjector } from './fault-injector';

export interface RunningServer {
  readonly name: string;
  /** The base URL, always on 127.0.0.1. */
  readonly url: string;
  /** Makes the next requests fail or stall on purpose (tests of error handling). */
  readonly faults: FaultInjector;
  stop(): Promise<void>;
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/**
 * Serves `handler` on 127.0.0.1 behind CORS and the fault injector. Port 0 picks a free port.
 */
export async function serveOnLoopback(
  name: string,
  port: number,
  handler: RequestHandler,
  onStop: () => Promise<void> = async () => undefined,
): Promise<RunningServer> {
  const faults = new FaultInjector();
  const server = createServer((request, response) => {
    if (applyCors(request, response)) return;
    void faults.apply(request, response).then((handled) => {
      if (!handled) return handler(request, response);
    }).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end(String(error));
    });
  });
  await listen(server, port);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`${name} did not get a TCP port.`);
  return {
    name,
    url: `http://127.0.0.1:${address.port}/`,
    faults,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await onStop();
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
