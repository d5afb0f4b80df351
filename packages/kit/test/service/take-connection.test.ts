import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Router from '@koa/router';
import { serve, type Serving } from '../../src/lifecycle';
import { takeConnection, type TakeRefusal } from '../../src/http/take-connection';
import { testApp } from '../support/app';
import { gate } from '../support/http';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects garbage after the current job: WeakRefs made in it survive until it ends. */
async function collect(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  gc();
}

/** As a route that opens a stream does: after an await (its token check, a read), never from inside the parse. */
const later = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * An app whose GET /stream writes an event-stream head and its first line, takes the
 * connection and hands the test the socket (or why not); the other routes try to take it
 * when they should not.
 */
function streamApp() {
  const taken = gate<Socket | TakeRefusal>();
  const refs: { req?: WeakRef<IncomingMessage>; res?: WeakRef<ServerResponse> } = {};
  const router = new Router();
  const harness = testApp([router]);
  const take = (ctx: { res: ServerResponse }): Socket | TakeRefusal => takeConnection(ctx.res, harness.app.kit.connections);
  const openStream = (res: ServerResponse, head: 'line' | 'head only'): void => {
    res.useChunkedEncodingByDefault = false; // the body ends with the connection
    res.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'close' });
    if (head === 'line') res.write(': open\n\n');
  };
  router.get('/stream', async (ctx) => {
    ctx.respond = false;
    refs.req = new WeakRef(ctx.req);
    refs.res = new WeakRef(ctx.res);
    await later();
    openStream(ctx.res, 'line');
    taken.open(take(ctx));
  });
  router.get('/head-only', async (ctx) => {
    ctx.respond = false;
    await later();
    openStream(ctx.res, 'head only');
    taken.open(take(ctx));
  });
  router.get('/early', async (ctx) => {
    await later();
    ctx.body = { taken: take(ctx) };
  });
  router.get('/in-parse', (ctx) => {
    ctx.respond = false;
    openStream(ctx.res, 'line');
    ctx.res.end(`: ${String(take(ctx))}\n\n`);
  });
  router.get('/chunked', async (ctx) => {
    ctx.respond = false;
    await later();
    ctx.res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    ctx.res.write(': open\n\n');
    ctx.res.end(`: ${String(take(ctx))}\n\n`);
  });
  return { ...harness, taken, refs };
}

/** A raw client: everything it has read, and a way to wait for more. */
const clients: Socket[] = [];

function rawClient(port: number, request: string) {
  const socket = connect(port, '127.0.0.1');
  clients.push(socket);
  let read = '';
  const changed: Array<() => void> = [];
  const ended = gate();
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    read += chunk;
    for (const wake of changed.splice(0)) wake();
  });
  socket.on('end', () => ended.open());
  socket.on('error', () => ended.open());
  socket.write(request);
  const until = async (text: string): Promise<string> => {
    while (!read.includes(text)) await new Promise<void>((resolve) => changed.push(resolve));
    return read;
  };
  return { socket, until, ended: ended.promise, read: () => read };
}

const GET_STREAM = 'GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

describe('takeConnection', () => {
  let serving: Serving | undefined;
  /** A served streamApp with one stream open on a taken connection. */
  const openTakenStream = async () => {
    const harness = streamApp();
    serving = await serve(harness.app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn() });
    const client = rawClient(serving.port, GET_STREAM);
    const socket = (await harness.taken.promise) as Socket;
    await client.until(': open\n\n');
    return { ...harness, client, socket };
  };
  afterEach(async () => {
    for (const socket of clients.splice(0)) socket.destroy();
    await serving?.shutdown('test over');
    serving = undefined;
  });

  test('when a stream has written its head, then its socket carries the rest and the request and response are let go', async () => {
    const { app, taken, refs } = streamApp();
    serving = await serve(app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn() });
    const client = rawClient(serving.port, GET_STREAM);
    const socket = (await taken.promise) as Socket;
    expect(typeof socket).toBe('object');
    await client.until(': open\n\n');
    expect(app.kit.connections.has(socket)).toBe(true);
    await collect();
    expect({ req: refs.req?.deref(), res: refs.res?.deref() }).toEqual({ req: undefined, res: undefined });
    socket.write('data: after\n\n');
    expect(await client.until('data: after\n\n')).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n: open\n\ndata: after\n\n$/);
  });

  test('when the client sends more bytes, then they are dropped: no second request is answered', async () => {
    const { client, socket } = await openTakenStream();
    client.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    client.socket.write('\x00\x01 not http at all\r\n\r\n');
    // A write after the dropped bytes is the next thing the client reads.
    await new Promise((resolve) => setImmediate(resolve));
    socket.write('data: still here\n\n');
    const read = await client.until('data: still here\n\n');
    expect(read.match(/HTTP\/1\.1/g)).toHaveLength(1);
    expect(read.endsWith(': open\n\ndata: still here\n\n')).toBe(true);
  });

  test('when the client ends its side, then the socket is ended too and leaves the set', async () => {
    const { app, client, socket } = await openTakenStream();
    const closed = new Promise((resolve) => socket.once('close', resolve));
    client.socket.end();
    await client.ended;
    await closed;
    expect(app.kit.connections.size).toBe(0);
  });

  test('when the client resets the connection, then the process lives on and the socket leaves the set', async () => {
    const { app, client, socket } = await openTakenStream();
    const closed = new Promise((resolve) => socket.once('close', resolve));
    client.socket.resetAndDestroy();
    await closed;
    socket.write('data: to nobody\n\n'); // a write after the reset errors inside the socket, not the process
    expect(app.kit.connections.size).toBe(0);
  });

  test('when the head is not written yet, then nothing is taken and the response goes on as usual', async () => {
    const { app } = streamApp();
    serving = await serve(app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn() });
    const client = rawClient(serving.port, 'GET /early HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    await client.ended;
    expect(client.read()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n\{"taken":"head"\}$/);
  });

  test('when only writeHead was called, then the head is sent before the socket is taken', async () => {
    const { app, taken } = streamApp();
    serving = await serve(app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn() });
    const client = rawClient(serving.port, 'GET /head-only HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const socket = (await taken.promise) as Socket;
    expect(typeof socket).toBe('object');
    socket.write('data: first\n\n');
    expect(await client.until('data: first\n\n')).toMatch(
      /^HTTP\/1\.1 200 OK\r\n[\s\S]*Content-Type: text\/event-stream\r\n[\s\S]*\r\n\r\ndata: first\n\n$/,
    );
  });

  test('when it is asked from inside the parse (before any await), then it is refused: the parser is still at work', async () => {
    const { app } = streamApp();
    serving = await serve(app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn() });
    const client = rawClient(serving.port, 'GET /in-parse HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await client.ended;
    expect(client.read()).toMatch(/\r\n\r\n: open\n\n: reading\n\n$/);
  });

  test('when the client pipelined another request behind the stream, then it is refused and the stream stays in the response', async () => {
    const { app, taken } = streamApp();
    serving = await serve(app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn() });
    const client = rawClient(serving.port, `${GET_STREAM}GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    expect(await taken.promise).toBe('pipelined');
    await client.until(': open\n\n');
    expect(app.kit.connections.size).toBe(0);
  });

  test('when the body is chunked, then nothing is taken: raw bytes would break its framing', async () => {
    const { app } = streamApp();
    serving = await serve(app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn() });
    const client = rawClient(serving.port, 'GET /chunked HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    await client.ended;
    const read = client.read();
    expect(read).toMatch(/Transfer-Encoding: chunked\r\n/);
    expect(read).toMatch(/\r\n\r\n[0-9a-f]+\r\n: open\n\n(\r\n[0-9a-f]+\r\n)?: framing\n\n\r\n0\r\n\r\n$/);
  });

  test('when the drain grace is over, then a taken connection still open is cut and the drain ends', async () => {
    const { app, taken, sink } = streamApp();
    serving = await serve(app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn(), graceMs: 50 });
    const client = rawClient(serving.port, GET_STREAM);
    const socket = (await taken.promise) as Socket;
    expect(typeof socket).toBe('object');
    await client.until(': open\n\n');
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // Nobody registered a stream to end it: only the grace can.
    await serving.shutdown('test');
    await Promise.all([client.ended, closed]);
    expect(serving.server.listening).toBe(false);
    expect(app.kit.connections.size).toBe(0);
    expect(sink.records.some((record) => record.msg === 'grace period over, closing remaining connections')).toBe(true);
    serving = undefined;
  });
});
