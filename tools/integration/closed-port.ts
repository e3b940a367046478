import { createServer } from 'node:net';

/** A loopback URL where nothing listens: a server that is down. */
export async function urlOfAServerThatIsDown(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('No TCP port.');
  return `http://127.0.0.1:${address.port}/`;
}
