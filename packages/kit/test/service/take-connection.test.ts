import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Router from '@koa/router';
import { serve, type Serving } from '../../src/lifecycle';
import { takeConnection } from '../../src/http/take-connection';
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

/**
 * An app whose GET /stream writes an event-stream head and its first line, takes the
 * connection and hands the test the socket; GET /early tries to take it before the head.
 */
function streamApp() {
  const taken = gate<Socket | undefined>();
  const refs: { req?: WeakRef<IncomingMessage>; res?: WeakRef<ServerResponse> } = {};
  const router = new Router();
  const harness = testApp([router]);
  router.get('/stream', (ctx) => {
    ctx.respond = false;
    refs.req = new WeakRef(ctx.req);
    refs.res = new WeakRef(ctx.res);
    ctx.res.useChunkedEncodingByDefault = false; // the body ends with the connection
    ctx.res.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'close' });
    ctx.res.write(': open\n\n');
    taken.open(takeConnection(ctx.res, harness.app.kit.connections));
  });
  router.get('/early', (ctx) => {
    ctx.body = { taken: takeConnection(ctx.res, harness.app.kit.connections) !== undefined };
  });
  router.get('/chunked', (ctx) => {
    ctx.respond = false;
    ctx.res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    ctx.res.write(': open\n\n');
    const socket = takeConnection(ctx.res, harness.app.kit.connections);
    ctx.res.end(`: ${socket === undefined ? 'not taken' : 'taken'}\n\n`);
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
  afterEach(async () => {
    for (const socket of clients.splice(0)) socket.destroy();
    await serving?.shutdown('test over');
    serving = undefined;
  });

  test('when a stream has written its head, then its socket carries the rest and the request and response are let go', async () => {
    const { app, taken, refs } = streamApp();
    serving = await serve(app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn() });
    const client = rawClient(serving.port, GET_STREAM);
    const socket = await taken.promise;
    expect(socket).toBeDefined();
    await client.until(': open\n\n');
    expect(app.kit.connections.has(socket as Socket)).toBe(true);
    await collect();
    expect({ req: refs.req?.deref(), res: refs.res?.deref() }).toEqual({ req: undefined, res: undefined });
    socket?.write('data: after\n\n');
    expect(await client.until('data: after\n\n')).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n: open\n\ndata: after\n\n$/);
  });

  test('when the client sends more bytes, then they are dropped: no second request is answered', async () => {
    const { app, taken } = streamApp();
    serving = await serve(app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn() });
    const client = rawClient(serving.port, GET_STREAM);
    const socket = await taken.promise;
    await client.until(': open\n\n');
    client.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    client.socket.write('\x00\x01 not http at all\r\n\r\n');
    // A write after the dropped bytes is the next thing the client reads.
    await new Promise((resolve) => setImmediate(resolve));
    socket?.write('data: still here\n\n');
    const read = await client.until('data: still here\n\n');
    expect(read.match(/HTTP\/1\.1/g)).toHaveLength(1);
    expect(read.endsWith(': open\n\ndata: still here\n\n')).toBe(true);
  });

  test('when the client ends its side, then the socket is ended too and leaves the set', async () => {
    const { app, taken } = streamApp();
    serving = await serve(app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn() });
    const client = rawClient(serving.port, GET_STREAM);
    const socket = (await taken.promise) as Socket;
    await client.until(': open\n\n');
    const closed = new Promise((resolve) => socket.once('close', resolve));
    client.socket.end();
    await client.ended;
    await closed;
    expect(app.kit.connections.size).toBe(0);
  });

  test('when the client resets the connection, then the process lives on and the socket leaves the set', async () => {
    const { app, taken } = streamApp();
    serving = await serve(app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn() });
    const client = rawClient(serving.port, GET_STREAM);
    const socket = (await taken.promise) as Socket;
    await client.until(': open\n\n');
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
    expect(client.read()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n\{"taken":false\}$/);
  });

  test('when the body is chunked, then nothing is taken: raw bytes would break its framing', async () => {
    const { app } = streamApp();
    serving = await serve(app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn() });
    const client = rawClient(serving.port, 'GET /chunked HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    await client.ended;
    const read = client.read();
    expect(read).toMatch(/Transfer-Encoding: chunked\r\n/);
    expect(read).toMatch(/\r\n\r\n[0-9a-f]+\r\n: open\n\n(\r\n[0-9a-f]+\r\n)?: not taken\n\n\r\n0\r\n\r\n$/);
  });

  test('when the drain grace is over, then a taken connection still open is cut and the drain ends', async () => {
    const { app, taken, sink } = streamApp();
    serving = await serve(app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn(), graceMs: 50 });
    const client = rawClient(serving.port, GET_STREAM);
    const socket = (await taken.promise) as Socket;
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
