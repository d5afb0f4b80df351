import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { Router, type Backend } from '../../src/local/router';
import { freePort } from '../../src/local/ports';
import type { LogRecord } from '../../src';
import { http } from './helpers';

// The router alone, in front of one live instance and one port nobody listens on.

let live: Server;
let router: Router;
let backends: Backend[];
const sockets = new Set<Socket>();
const logs: LogRecord[] = [];

beforeAll(async () => {
  live = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    const forwarded = {
      for: req.headers['x-forwarded-for'],
      proto: req.headers['x-forwarded-proto'],
      port: req.headers['x-forwarded-port'],
    };
    req.on('end', () => res.setHeader('content-type', 'application/json').end(JSON.stringify({ method: req.method, body, forwarded })));
  });
  live.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  live.listen(0, '127.0.0.1');
  await once(live, 'listening');
  const livePort = (live.address() as { port: number }).port;
  const deadPort = await freePort();
  backends = [
    { id: 'dead', app: 'api', index: 0, port: deadPort },
    { id: 'live', app: 'api', index: 1, port: livePort },
  ];
  router = new Router({
    port: 0,
    routes: [{ host: 'chat.localhost', path: '', app: 'api' }],
    defaultHost: 'chat.localhost',
    pool: () => backends,
    log: (record) => logs.push(record),
  });
  await router.listen();
});
afterAll(async () => {
  await router?.close();
  live?.closeAllConnections();
  await new Promise((resolve) => live?.close(resolve));
});

describe('the router and its connections to instances', () => {
  test('when a POST with a body meets a refused connection, then it goes to another instance with its body and X-Forwarded-* added once, and nothing fails', async () => {
    const replies = [];
    // Round robin: every other request is sent to the dead port first.
    for (let i = 0; i < 4; i += 1)
      replies.push(
        await http(router.port, '/api/messages', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: `hello ${i}` }),
        }),
      );
    const forwarded = { for: '127.0.0.1', proto: 'http', port: String(router.port) };
    expect(replies.map((reply) => [reply.status, reply.json()])).toEqual(
      [0, 1, 2, 3].map((i) => [200, { method: 'POST', body: `{"text":"hello ${i}"}`, forwarded }]),
    );
  });

  test('when no instance accepts the connection, then 502 backend_unavailable and the access line says why', async () => {
    const saved = backends;
    backends = [saved[0] as Backend];
    try {
      const reply = await http(router.port, '/api/messages', {
        method: 'POST',
        body: '{}',
        headers: { 'x-request-id': 'refused-everywhere-0001' },
      });
      expect([reply.status, reply.json<{ error: { code: string } }>().error.code]).toEqual([502, 'backend_unavailable']);
      expect(logs.find((record) => record.line.includes('x_request_id:"refused-everywhere-0001"'))?.line).toMatch(
        /" 502 .* x_cf_routererror:"backend_unavailable ECONNREFUSED"$/,
      );
    } finally {
      backends = saved;
    }
  });

  test("when an instance is forgotten, then the router's idle keep-alive connections to it are closed", async () => {
    expect((await http(router.port, '/x')).status).toBe(200);
    expect(sockets.size).toBeGreaterThan(0);
    const closed = [...sockets].map((socket) => once(socket, 'close'));
    router.forget(backends[1]?.port ?? 0);
    await Promise.all(closed);
    expect(sockets.size).toBe(0);
  });

  test('when a pooled connection stays idle for ROUTER_BACKEND_IDLE_TIMEOUT_MS, then the router closes it, though the app offers a longer keep-alive', async () => {
    // The app asks for 95 s of keep-alive, as the kit's apps do; this router allows 300 ms.
    live.keepAliveTimeout = 95_000;
    const short = new Router({
      port: 0,
      routes: [{ host: 'chat.localhost', path: '', app: 'api' }],
      defaultHost: 'chat.localhost',
      pool: () => [backends[1] as Backend],
      log: () => undefined,
      limits: { backendIdleTimeoutMs: 300 },
    });
    await short.listen();
    try {
      const before = new Set(sockets);
      expect((await http(short.port, '/x')).status).toBe(200);
      const pooled = [...sockets].filter((socket) => !before.has(socket));
      expect(pooled.length).toBe(1);
      const closedBy = await Promise.race([
        once(pooled[0] as Socket, 'end').then(() => 'router'),
        once(pooled[0] as Socket, 'close').then(() => 'closed'),
      ]);
      expect(closedBy).toBe('router');
    } finally {
      await short.close();
    }
  });
});
