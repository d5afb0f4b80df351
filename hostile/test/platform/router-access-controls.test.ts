import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { Router, type LogRecord } from '@bundle/platform';

// Round 2, item 12: C1 controls (bytes 0x80 to 0x9F in a header, which Node reads as Latin-1
// U+0080 to U+009F) reached the router's access line as they are, and a terminal showing
// `scripts/logs` may act on them (U+009B is CSI, the one-character ESC [).
let backend: Server;
let router: Router;
const logs: LogRecord[] = [];

beforeAll(async () => {
  backend = createServer((_req, res) => res.writeHead(204).end());
  backend.listen(0, '127.0.0.1');
  await once(backend, 'listening');
  const port = (backend.address() as { port: number }).port;
  router = new Router({
    port: 0,
    routes: [{ host: 'chat.localhost', path: '', app: 'api' }],
    defaultHost: 'chat.localhost',
    pool: () => [{ id: 'one', app: 'api', index: 0, port }],
    log: (record) => logs.push(record),
  });
  await router.listen();
});
afterAll(async () => {
  await router?.close();
  backend?.closeAllConnections();
  await new Promise((resolve) => backend?.close(resolve));
});

/** Sends a request whose header bytes are given as Latin-1 and resolves with the status line. */
function rawRequest(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(router.port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.once('error', reject);
    socket.once('close', () => resolve(text.split('\r\n')[0] ?? ''));
    socket.write(Buffer.from(head, 'latin1')); // Connection: close: the router closes when it has answered
  });
}

describe("the router's access line against control characters", () => {
  test('when headers carry C1 controls, then the line has them as \\u escapes, like C0', async () => {
    const id = 'c1-controls-0123456789abcdef';
    const status = await rawRequest(
      `GET /c1 HTTP/1.1\r\nHost: chat.localhost\r\nUser-Agent: evil\x9b2J\x85agent\r\nReferer: r\x90\x9f\r\n` +
        `X-Forwarded-For: 1.2.3.4\x80\r\nX-Request-Id: ${id}\r\nConnection: close\r\n\r\n`,
    );
    const line = logs.find((record) => record.source === 'RTR/0' && record.line.includes(id))?.line ?? '';

    expect(status).toBe('HTTP/1.1 204 No Content');
    expect(line).not.toMatch(/\p{Cc}/u);
    expect([
      line.includes('"evil\\u009b2J\\u0085agent"'),
      line.includes('"r\\u0090\\u009f"'),
      line.includes('x_forwarded_for:"1.2.3.4\\u0080'),
    ]).toEqual([true, true, true]);
  });
});
