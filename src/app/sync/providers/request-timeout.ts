import { SyncError } from '../engine/sync-error';

/**
 * Runs one request with an AbortSignal that fires after `timeoutMs`. If the request then fails
 * (whatever the client library makes of the abort), the failure is reported as a 'timeout'.
 */
export async function withTimeout<T>(
  timeoutMs: number,
  describe: () => string,
  request: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    return await request(controller.signal);
  } catch (error) {
    if (timedOut) {
      throw new SyncError('timeout', `${describe()} got no answer within ${formatDuration(timeoutMs)}. The server may be slow or unreachable; the next sync tries again.`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
