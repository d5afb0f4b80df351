import { once } from 'node:events';
import { createServer } from 'node:net';

/** Asks the kernel for a free port on 127.0.0.1 (the instance then listens on it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}
