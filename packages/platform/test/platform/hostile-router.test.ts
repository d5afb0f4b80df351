import { EventEmitter, once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { pickRequestId as kitPickRequestId } from '../../../kit/src/http/request-id';
import { Router, type Backend } from '../../src/local/router';
import { pickRequestId } from '../../src/local/router/headers';
import type { LogRecord } from '../../src';
import { http } from './helpers';

// The router alone, in front of a small backend, against clients that misbehave: streams
// dropped halfway, credentials in URLs, forged forwarded headers and request ids, slow and
// oversized bodies. Limits are set small, so nothing waits long.

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: number;
}

let backend: Server;
let router: Router;
const backendSockets = new Set<Socket>();
/** The app's side of the event streams it is serving now. */
const streamSockets = new Set<Socket>();
const seen: Seen[] = [];
const logs: LogRecord[] = [];
const LIMITS = {
  maxBodyBytes: 64 * 1024,
  headersTimeoutMs: 300,
  requestTimeoutMs: 300,
  maxHeaderBytes: 8 * 1024,
  backendMaxConnections: 4,
  maxBufferedBodyBytes: 100 * 1024,
};
/** Requests to /arrive, as they reach the app (before their bodies end): their request ids, and an 'arrived' event each. */
const arrived: string[] = [];
const arrivals = new EventEmitter();

beforeAll(async () => {
  backend = createServer((req, res) => {
    if (req.url === '/early') {
      // An app that refuses a body before reading it (as the kit's body limit does) and closes.
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' }).end('{"error":{"code":"app_refused"}}');
      return;
    }
    if (req.url === '/not-modified') {
      // A 304 may declare the length the full answer would have (RFC 9110 8.6).
      res.writeHead(304, { etag: '"x"', 'content-length': '10' }).end();
      return;
    }
    if (req.url === '/arrive') {
      arrived.push(String(req.headers['x-request-id']));
      arrivals.emit('arrived');
    }
    if (req.url === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      streamSockets.add(req.socket);
      req.socket.once('close', () => streamSockets.delete(req.socket));
      res.write(': hello\n\n');
      return; // never ends by itself
    }
    let body = 0;
    req.on('data', (chunk: Buffer) => (body += chunk.length));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ headers: req.headers, body }));
    });
  });
  backend.on('connection', (socket: Socket) => {
    backendSockets.add(socket);
    socket.once('close', () => backendSockets.delete(socket));
  });
  backend.listen(0, '127.0.0.1');
  await once(backend, 'listening');
  const port = (backend.address() as { port: number }).port;
  const backends: Backend[] = [{ id: 'one', app: 'api', index: 0, port }];
  router = new Router({
    port: 0,
    routes: [{ host: 'chat.localhost', path: '', app: 'api' }],
    defaultHost: 'chat.localhost',
    pool: () => backends,
    log: (record) => logs.push(record),
    limits: LIMITS,
  });
  await router.listen();
});
afterAll(async () => {
  await router?.close();
  backend?.closeAllConnections();
  await new Promise((resolve) => backend?.close(resolve));
});

/** Opens an event stream through the router and resolves once its first bytes came, with a function that drops it. */
function openStream(): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: router.port, path: '/events', agent: false }, (res) => {
      res.once('data', () => resolve(() => req.destroy()));
    });
    req.on('error', () => undefined); // destroyed on purpose
    req.once('error', reject);
    req.end();
  });
}

/** Sends raw bytes to the router and resolves with what it answers before closing. */
function raw(chunks: string[], options: { end?: boolean } = {}): Promise<{ status: number; body: string; text: string }> {
  return new Promise((resolve) => {
    const socket = connect(router.port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => undefined);
    socket.once('close', () =>
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0), body: text.slice(text.indexOf('\r\n\r\n') + 4), text }),
    );
    for (const chunk of chunks) socket.write(chunk);
    if (options.end) socket.end();
  });
}

const logged = new EventEmitter();
/** The next log line that contains `match`, as it is written. */
const nextLine = (match: string): Promise<LogRecord> =>
  new Promise((resolve) => {
    const listener = (record: LogRecord): void => {
      if (!record.line.includes(match)) return;
      logged.off('line', listener);
      resolve(record);
    };
    logged.on('line', listener);
  });
const rtr = (match: string): LogRecord | undefined => logs.find((record) => record.source === 'RTR/0' && record.line.includes(match));

describe('the router against hostile and careless clients', () => {
  test('when clients drop event streams, then the router closes its connections to the app too, and new requests still pass (more streams than its pool)', async () => {
    for (let round = 0; round < 3; round += 1) {
      // A pool's worth of streams per round, three rounds: leaked connections would fill the pool and the next round would hang.
      const drops = await Promise.all(Array.from({ length: LIMITS.backendMaxConnections }, () => openStream()));
      expect(streamSockets.size).toBe(LIMITS.backendMaxConnections);
      const closed = [...streamSockets].map((socket) => once(socket, 'close'));
      for (const drop of drops) drop();
      await Promise.all(closed);
    }
    expect(streamSockets.size).toBe(0);
    expect((await http(router.port, '/after-streams')).status).toBe(200);
    // Back to the baseline: no connection to the app is left carrying a request.
    expect(router.upstreamSockets()).toBe(0);
  }, 20_000);

  test("when every connection the router may open to an instance carries a stream, then the next request gets 503 connection_limit_reached at once (as gorouter's max_conns), not a place in a queue that never moves", async () => {
    const drops = await Promise.all(Array.from({ length: LIMITS.backendMaxConnections }, () => openStream()));
    try {
      // Bounded: before the fix this request waited for a pooled connection for ever.
      const reply = await Promise.race([
        http(router.port, '/while-full', { headers: { host: 'chat.localhost:8080' } }),
        delay(5_000, undefined, { ref: false }),
      ]);
      expect(reply && [reply.status, reply.headers['x-cf-routererror'], reply.json()]).toEqual([
        503,
        'connection_limit_reached',
        {
          error: {
            code: 'connection_limit_reached',
            message: "Requested route ('chat.localhost:8080/while-full') has reached the connection limit.",
            request_id: expect.any(String),
          },
        },
      ]);
      expect(rtr('"GET /while-full HTTP/1.1" 503')?.line).toMatch(/x_cf_routererror:"connection_limit_reached"/);
    } finally {
      const closed = [...streamSockets].map((socket) => once(socket, 'close'));
      for (const drop of drops) drop();
      await Promise.all(closed);
    }
    expect((await http(router.port, '/after-full')).status).toBe(200);
  }, 20_000);

  test('when the app goes away in the middle of a stream, then the router closes the client side too', async () => {
    const ended = new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port: router.port, path: '/events', agent: false }, (res) => {
        res.once('data', () => {
          for (const socket of backendSockets) socket.destroy();
        });
        res.on('data', () => undefined);
        res.once('close', () => resolve());
      });
      req.on('error', () => resolve());
      req.end();
    });
    await ended;
    expect(router.upstreamSockets()).toBe(0);
  });

  test('when a URL carries a credential in its query string, then the access line has the path only', async () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const reply = await http(router.port, `/api/stream?access_token=${token}&x=1`, {
      headers: { 'x-request-id': 'query-string-check-0001' },
    });
    expect(reply.status).toBe(200);
    const line = rtr('query-string-check-0001')?.line ?? '';
    expect(line).toContain('"GET /api/stream HTTP/1.1" 200');
    expect(line).not.toContain('access_token');
    expect(line).not.toContain(token);
  });

  test("when a client sends its own X-Forwarded-Proto, -Host and -Port, then the app gets the router's; X-Forwarded-For gets the peer appended", async () => {
    const reply = await http(router.port, '/forwarded', {
      headers: {
        host: 'chat.localhost',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'bank.example',
        'x-forwarded-port': '443',
        'x-forwarded-for': '203.0.113.9',
      },
    });
    const headers = reply.json<{ headers: Record<string, string> }>().headers;
    expect([headers['x-forwarded-proto'], headers['x-forwarded-host'], headers['x-forwarded-port'], headers['x-forwarded-for']]).toEqual([
      'http',
      'chat.localhost',
      String(router.port),
      '203.0.113.9,127.0.0.1',
    ]);
  });

  test('when X-Request-Id and X-Forwarded-For try to forge log fields, then the line escapes them and router and app agree on a new request id', async () => {
    const forged = 'x" "level":"fatal';
    const reply = await http(router.port, '/forged', {
      headers: { 'x-request-id': forged, 'x-forwarded-for': '1.2.3.4" x_request_id:"evil', 'user-agent': 'ua" app_index:"9' },
    });
    const appId = reply.json<{ headers: Record<string, string> }>().headers['x-request-id'] ?? '';
    expect(appId).toMatch(/^[0-9a-f-]{36}$/);
    // The id the app got is the one the router logged.
    const line = rtr(`x_request_id:"${appId}"`)?.line ?? '';
    expect(line).toContain('"GET /forged HTTP/1.1" 200');
    expect(line).toContain('x_forwarded_for:"1.2.3.4\\" x_request_id:\\"evil,127.0.0.1"');
    expect(line).toContain('"ua\\" app_index:\\"9"');
    expect(line).not.toContain('"level":"fatal"');
    // Every field the line has is one the router wrote: no quote a client sent is left unescaped.
    expect(line.match(/ x_request_id:"/g)).toHaveLength(1);
  });

  test("when the client's request id is sane, then the router keeps it; the router and the kit apply the same rule", async () => {
    const reply = await http(router.port, '/kept', { headers: { 'x-request-id': 'client-chosen-id-000001' } });
    expect(reply.json<{ headers: Record<string, string> }>().headers['x-request-id']).toBe('client-chosen-id-000001');
    const samples = [
      'short',
      'a'.repeat(20),
      'a'.repeat(200),
      'a'.repeat(201),
      'abc def ghi jkl mno pqr',
      'AZaz09+/=-AZaz09+/=-',
      'x" "level":"fatal"       ',
    ];
    for (const id of samples) {
      const fresh = (value: string): boolean => /^[0-9a-f-]{36}$/.test(value) && value !== id;
      expect([id, fresh(pickRequestId({ 'x-request-id': id }))]).toEqual([id, fresh(kitPickRequestId({ 'x-request-id': id }))]);
    }
    expect(pickRequestId({ 'x-request-id': 'bad', 'x-vcap-request-id': 'vcap-request-id-000000001' })).toBe(
      kitPickRequestId({ 'x-request-id': 'bad', 'x-vcap-request-id': 'vcap-request-id-000000001' }),
    );
  });

  test('when a body is declared over the limit, then 413 payload_too_large in JSON, and the app never sees it', async () => {
    const before = seen.length;
    const reply = await raw([
      `POST /upload HTTP/1.1\r\nHost: chat.localhost\r\nContent-Type: application/json\r\nContent-Length: ${LIMITS.maxBodyBytes + 1}\r\nConnection: close\r\n\r\n`,
      'x'.repeat(LIMITS.maxBodyBytes + 1),
    ]);
    expect([reply.status, JSON.parse(reply.body).error.code]).toEqual([413, 'payload_too_large']);
    expect(seen.length).toBe(before);
  });

  test('when a body declared over the limit then stops coming, then the client gets the 413 alone and the connection is closed', async () => {
    const reply = await raw([
      `POST /upload HTTP/1.1\r\nHost: chat.localhost\r\nContent-Length: ${LIMITS.maxBodyBytes * 2}\r\n\r\n`,
      's'.repeat(1024),
    ]);
    expect([reply.status, JSON.parse(reply.body).error.code, reply.text.match(/HTTP\/1\.1 /g)?.length]).toEqual([
      413,
      'payload_too_large',
      1,
    ]);
  });

  test('when a chunked body grows over the limit, then 413 payload_too_large, and the app never sees it', async () => {
    const before = seen.length;
    const chunk = 'y'.repeat(16 * 1024);
    const chunks = Array.from({ length: 8 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    const reply = await raw([
      `POST /upload HTTP/1.1\r\nHost: chat.localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
      ...chunks,
      '0\r\n\r\n',
    ]);
    expect([reply.status, JSON.parse(reply.body).error.code]).toEqual([413, 'payload_too_large']);
    expect(seen.length).toBe(before);
  });

  test('when a client sends part of a body and stops, then 408 request_timeout in JSON and the connection is closed', async () => {
    const reply = await raw([
      `POST /upload HTTP/1.1\r\nHost: chat.localhost\r\nX-Request-Id: slow-body-check-000000001\r\nContent-Length: 1000\r\n\r\n`,
      'z'.repeat(400),
    ]);
    expect([reply.status, JSON.parse(reply.body).error]).toEqual([
      408,
      { code: 'request_timeout', message: expect.any(String), request_id: 'slow-body-check-000000001' },
    ]);
    expect(rtr('slow-body-check-000000001')?.line).toMatch(/" 408 .*x_cf_routererror:"request_timeout"$/);
  });

  test('when a client sends half its headers and stops, then 408 request_timeout in JSON', async () => {
    const reply = await raw(['GET /slow-headers HTTP/1.1\r\nHost: chat.localhost\r\nX-Partial: yes\r\n']);
    expect([reply.status, JSON.parse(reply.body).error.code]).toEqual([408, 'request_timeout']);
  });

  test('when the headers are over the limit, then 431 headers_too_large in JSON', async () => {
    const reply = await raw([`GET /big HTTP/1.1\r\nHost: chat.localhost\r\nX-Big: ${'b'.repeat(LIMITS.maxHeaderBytes)}\r\n\r\n`]);
    expect([reply.status, JSON.parse(reply.body).error.code]).toEqual([431, 'headers_too_large']);
  });

  test('when a chunked body is malformed, then 400 bad_request in JSON before the connection closes (not a bare close), and the app gets no request', async () => {
    const before = seen.length;
    const badSize = await raw([
      'POST /bad-chunk HTTP/1.1\r\nHost: chat.localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    ]);
    const badGet = await raw(['GET /health HTTP/1.1\r\nHost: chat.localhost\r\nTransfer-Encoding: chunked\r\n\r\nq\r\n\r\n']);
    for (const reply of [badSize, badGet])
      expect([reply.status, JSON.parse(reply.body || '{}').error?.code, /connection: close/i.test(reply.text)]).toEqual([
        400,
        'bad_request',
        true,
      ]);
    expect(seen.slice(before).filter((request) => request.url === '/bad-chunk')).toEqual([]);
  });

  test('when a client sends part of its headers and half-closes, then it still reads 400 bad_request in JSON', async () => {
    const reply = await raw(['GET /half HTTP/1.1\r\nHost: chat.localhost\r\n'], { end: true });
    expect([reply.status, JSON.parse(reply.body || '{}').error?.code]).toEqual([400, 'bad_request']);
  });

  test('when a request carries two Host headers, then 400 bad_request in JSON (RFC 9112 3.2): which host it is for cannot be told', async () => {
    const reply = await raw(['GET /two-hosts HTTP/1.1\r\nHost: chat.localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n']);
    expect([reply.status, JSON.parse(reply.body || '{}').error?.code]).toEqual([400, 'bad_request']);
    expect(seen.filter((request) => request.url === '/two-hosts')).toEqual([]);
  });

  test('when a request expects something other than 100-continue, then 417 in JSON', async () => {
    const reply = await raw([
      'POST /expect HTTP/1.1\r\nHost: chat.localhost\r\nExpect: 999-nope\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
    ]);
    expect([reply.status, JSON.parse(reply.body || '{}').error?.code]).toEqual([417, 'expectation_failed']);
  });

  test('when bodies the router keeps whole (to send again) would pass its memory budget, then the next one streams through to the app as it comes instead of waiting in the router', async () => {
    // Two clients each declare 60 KiB and stall after 59: the router keeps one whole, within
    // its 100 KiB budget; the other would pass it, so it goes to the app at once, body coming.
    const stalled = ['buffer-budget-check-0001', 'buffer-budget-check-0002'].map((id) => {
      const socket = connect(router.port, '127.0.0.1');
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      const status = new Promise<number>((resolve) =>
        socket.once('close', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0))),
      );
      socket.write(
        `POST /arrive HTTP/1.1\r\nHost: chat.localhost\r\nX-Request-Id: ${id}\r\nContent-Length: ${60 * 1024}\r\nConnection: close\r\n\r\n${'k'.repeat(59 * 1024)}`,
      );
      return { socket, status };
    });
    const first = await Promise.race([once(arrivals, 'arrived').then(() => [...arrived]), delay(3_000, 'none arrived', { ref: false })]);
    expect(first).toEqual([expect.stringMatching(/^buffer-budget-check-000[12]$/)]);
    for (const { socket } of stalled) socket.write('k'.repeat(1024));
    expect(await Promise.all(stalled.map(({ status }) => status))).toEqual([200, 200]);
    expect(arrived.filter((id) => id.startsWith('buffer-budget-check-')).sort()).toEqual([
      'buffer-budget-check-0001',
      'buffer-budget-check-0002',
    ]);
  });

  test('when a body within the limit comes chunked, then the app gets all of it', async () => {
    const reply = await raw([
      `POST /chunked HTTP/1.1\r\nHost: chat.localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
      '5\r\nhello\r\n',
      '6\r\n world\r\n',
      '0\r\n\r\n',
    ]);
    expect([reply.status, JSON.parse(reply.body).body]).toEqual([200, 11]);
  });

  test('when the app answers 304 with the length the full answer would have, then the client gets the 304 (not a dropped connection)', async () => {
    const reply = await raw(['GET /not-modified HTTP/1.1\r\nHost: chat.localhost\r\nConnection: close\r\n\r\n']);
    expect([reply.status, /etag: "x"/i.test(reply.text)]).toEqual([304, true]);
  });

  test('when the request target is "*" or host:port, then 400 bad_request in JSON; an absolute URL is routed by its own host and path', async () => {
    const star = await raw(['OPTIONS * HTTP/1.1\r\nHost: chat.localhost\r\nConnection: close\r\n\r\n']);
    const authority = await raw(['CONNECT chat.localhost:443 HTTP/1.1\r\nHost: chat.localhost\r\nConnection: close\r\n\r\n']);
    const absolute = await raw([
      'GET http://chat.localhost/absolute-check?x=1 HTTP/1.1\r\nHost: elsewhere.example\r\nConnection: close\r\n\r\n',
    ]);
    expect([star.status, JSON.parse(star.body).error.code]).toEqual([400, 'bad_request']);
    expect(authority.status).toBe(400);
    expect([
      absolute.status,
      seen.find((request) => request.url.startsWith('/absolute-check'))?.url,
      seen.find((request) => request.url.startsWith('/absolute-check'))?.headers.host,
    ]).toEqual([200, '/absolute-check?x=1', 'chat.localhost']);
  });

  test('when a HEAD request comes, then it is answered without a body and logged', async () => {
    const reply = await http(router.port, '/head-check', { method: 'HEAD', headers: { 'x-request-id': 'head-request-check-0001' } });
    expect([reply.status, reply.body, reply.headers['content-type']]).toEqual([200, '', 'application/json']);
    expect(rtr('head-request-check-0001')?.line).toContain('"HEAD /head-check HTTP/1.1" 200');
  });

  test('when a client aborts an upload halfway, then the router logs 499, the app is not sent a thing, and the router still serves', async () => {
    const before = seen.length;
    const socket = connect(router.port, '127.0.0.1');
    socket.on('error', () => undefined);
    const arrived = once(router.server, 'request');
    socket.write(
      `POST /aborted HTTP/1.1\r\nHost: chat.localhost\r\nX-Request-Id: aborted-upload-check-0001\r\nContent-Length: 1000\r\n\r\n${'a'.repeat(300)}`,
    );
    const [, res] = (await arrived) as [IncomingMessage, ServerResponse];
    const closed = once(res, 'close');
    socket.destroy();
    await closed;
    expect(rtr('aborted-upload-check-0001')?.line).toMatch(/" 499 /);
    expect(seen.length).toBe(before);
    expect(router.upstreamSockets()).toBe(0);
    expect((await http(router.port, '/after-abort')).status).toBe(200);
  });

  describe('with a body limit above what the router keeps to send again (bodies stream through)', () => {
    let big: Router;
    const limit = 1024 * 1024 + 64 * 1024;
    beforeAll(async () => {
      const port = (backend.address() as { port: number }).port;
      big = new Router({
        port: 0,
        routes: [{ host: 'chat.localhost', path: '', app: 'api' }],
        defaultHost: 'chat.localhost',
        pool: () => [{ id: 'one', app: 'api', index: 0, port }],
        log: (record) => void logged.emit('line', record),
        limits: { ...LIMITS, maxBodyBytes: limit, requestTimeoutMs: 60_000, headersTimeoutMs: 60_000 },
      });
      await big.listen();
    });
    afterAll(() => big?.close());

    const post = (path: string, body: Buffer, headers: Record<string, string | number>): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: big.port, path, method: 'POST', headers: { host: 'chat.localhost', ...headers }, agent: false },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        // Written in pieces, as an upload comes.
        for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
        req.end();
      });

    test('when a chunked body streams over the limit, then 413 payload_too_large and the app gets none of it whole', async () => {
      const before = seen.length;
      const reply = await post('/stream-over', Buffer.alloc(limit + 128 * 1024, 'q'), { 'transfer-encoding': 'chunked' });
      expect([reply.status, JSON.parse(reply.body).error.code]).toEqual([413, 'payload_too_large']);
      expect(seen.slice(before).filter((request) => request.url === '/stream-over')).toEqual([]);
    });

    test('when a chunked body streams within the limit, then the app gets all of it', async () => {
      const reply = await post('/stream-within', Buffer.alloc(limit - 1024, 'w'), { 'transfer-encoding': 'chunked' });
      expect([reply.status, JSON.parse(reply.body).body]).toEqual([200, limit - 1024]);
    });

    test('when a client aborts a declared-length upload that streams through, then the router logs 499 and goes on serving (it must not lose the request it is answering)', async () => {
      const line = nextLine('streamed-abort-check-00001');
      const socket = connect(big.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(
        `POST /upload HTTP/1.1\r\nHost: chat.localhost\r\nX-Request-Id: streamed-abort-check-00001\r\nContent-Length: ${limit - 1024}\r\n\r\n`,
      );
      socket.write(Buffer.alloc(600 * 1024, 'u'), () => socket.destroy());
      expect((await line).line).toMatch(/" 499 /);
      const after = await new Promise<number>((resolve, reject) =>
        request({ host: '127.0.0.1', port: big.port, path: '/after-streamed-abort', headers: { host: 'chat.localhost' } }, (res) =>
          resolve(res.statusCode ?? 0),
        )
          .on('error', reject)
          .end(),
      );
      expect(after).toBe(200);
    });

    test("when the app refuses a body (one the router keeps) before reading it and closes, then the client gets the app's answer, not a 502", async () => {
      const body = Buffer.alloc(200 * 1024, 'e');
      const reply = await post('/early', body, { 'content-length': body.length, 'content-type': 'application/json' });
      expect([reply.status, reply.body]).toEqual([413, '{"error":{"code":"app_refused"}}']);
    });
  });
});
