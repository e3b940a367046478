import type { IncomingMessage, ServerResponse } from 'node:http';

export interface InjectedFault {
  /** Answer with this status instead of serving the request. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Wait this long first (with no status: then serve the request normally). */
  readonly delayMs?: number;
}

/**
 * A test hook in front of a real server: the next requests get a 429, 507, 503... or are delayed,
 * as a throttling proxy or an overloaded server would do. Everything else reaches the real server.
 */
export class FaultInjector {
  private readonly queue: InjectedFault[] = [];

  failNext(fault: InjectedFault, count = 1): void {
    for (let i = 0; i < count; i += 1) this.queue.push(fault);
  }

  clear(): void {
    this.queue.length = 0;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Returns true when the fault answered the request itself. */
  async apply(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const fault = this.queue.shift();
    if (!fault) return false;
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.status === undefined) return false;
    request.resume();
    response.writeHead(fault.status, { 'Content-Type': 'text/plain', ...fault.headers });
    response.end(fault.body ?? `Injected ${fault.status}`);
    return true;
  }
}
