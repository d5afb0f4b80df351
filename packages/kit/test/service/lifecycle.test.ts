import { Agent } from 'node:http';
import { PassThrough } from 'node:stream';
import Router from '@koa/router';
import supertest from 'supertest';
import { KEEP_ALIVE_TIMEOUT_MS, serve } from '../../src/lifecycle';
import { testApp } from '../support/app';
import { gate, get, raw } from '../support/http';

/** An app with a slow route the test releases, and a long-lived stream. */
function slowApp() {
  const arrived = gate();
  const release = gate();
  const streamOpen = gate();
  const streamClosed = jest.fn();
  const router = new Router();
  router.get('/slow', async (ctx) => {
    arrived.open();
    await release.promise;
    ctx.body = { done: true };
  });
  const harness = testApp([router]);
  router.get('/stream', (ctx) => {
    const stream = new PassThrough();
    const close = (): void => {
      streamClosed();
      stream.end('event: bye\n\n');
    };
    harness.app.kit.streams.add(close);
    ctx.type = 'text/event-stream';
    ctx.body = stream;
    stream.write(': open\n\n');
    streamOpen.open();
  });
  return { ...harness, arrived, release, streamOpen, streamClosed };
}

describe('serve', () => {
  test('when created, then the keep-alive timeout outlasts the routers (90 s) and the headers timeout outlasts it', async () => {
    const { app } = testApp();
    const serving = await serve(app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn() });
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(90_000);
    expect(serving.server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(serving.server.headersTimeout).toBeGreaterThan(serving.server.keepAliveTimeout);
    expect(serving.port).toBeGreaterThan(0);
    await serving.shutdown('test over');
  });

  test('when shutdown starts, then /ready is 503, the in-flight request finishes, idle sockets and streams close, hooks run in order', async () => {
    const { app, sink, arrived, release, streamOpen, streamClosed } = slowApp();
    const hooks: string[] = [];
    const exit = jest.fn();
    const serving = await serve(app, {
      port: 0,
      host: '127.0.0.1',
      signals: [],
      exit,
      onClose: [async () => hooks.push('quit redis'), () => hooks.push('flush')],
    });
    const agent = new Agent({ keepAlive: true });
    await get(serving.port, '/health', agent);
    const [idleSocket] = Object.values(agent.freeSockets).flat();
    const idleClosed = new Promise((resolve) => idleSocket?.once('close', resolve));
    const slow = get(serving.port, '/slow');
    await arrived.promise;
    const stream = get(serving.port, '/stream');
    await streamOpen.promise;

    const stopped = serving.shutdown('test');
    expect(app.kit.draining).toBe(true);
    const ready = await supertest(app.callback()).get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'draining', checks: {} });
    expect(hooks).toEqual([]);
    await idleClosed;
    expect(await stream).toMatchObject({ status: 200, body: ': open\n\nevent: bye\n\n' });
    expect(streamClosed).toHaveBeenCalledTimes(1);

    release.open();
    const answer = await slow;
    expect(answer).toMatchObject({ status: 200, body: '{"done":true}' });
    expect(answer.headers.connection).toBe('close');
    await stopped;
    expect(hooks).toEqual(['quit redis', 'flush']);
    expect(serving.server.listening).toBe(false);
    expect(exit).not.toHaveBeenCalled();
    expect(sink.records.map((record) => record.msg)).toEqual(expect.arrayContaining(['listening', 'draining', 'stopped']));
    agent.destroy();
  });

  test('when the grace period is over, then remaining connections are cut and the hooks still run', async () => {
    const { app, sink, arrived } = slowApp();
    const hook = jest.fn();
    const serving = await serve(app, { port: 0, host: '127.0.0.1', signals: [], exit: jest.fn(), graceMs: 50, onClose: [hook] });
    const slow = get(serving.port, '/slow');
    await arrived.promise;
    await serving.shutdown('test');
    await expect(slow).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(hook).toHaveBeenCalledTimes(1);
    expect(sink.records.find((record) => record.msg === 'grace period over, closing remaining connections')).toMatchObject({
      level: 'warn',
      grace_ms: 50,
    });
  });

  test('when a hook fails, then the next hooks still run and the failure is logged', async () => {
    const { app, sink } = testApp();
    const after = jest.fn();
    const serving = await serve(app, {
      port: 0,
      host: '127.0.0.1',
      signals: [],
      onClose: [() => Promise.reject(new Error('quit failed')), after],
    });
    await serving.shutdown('test');
    expect(after).toHaveBeenCalledTimes(1);
    expect(sink.records.find((record) => record.msg === 'close hook failed')).toMatchObject({
      level: 'error',
      err: { message: 'quit failed' },
    });
  });

  test('when a listed signal arrives, then it drains and exits 0', async () => {
    const { app } = testApp();
    const exited = gate<number>();
    const serving = await serve(app, { port: 0, host: '127.0.0.1', signals: ['SIGUSR2'], exit: (code) => exited.open(code) });
    process.emit('SIGUSR2');
    expect(await exited.promise).toBe(0);
    expect(serving.server.listening).toBe(false);
  });
});

describe('requests Node cannot parse', () => {
  let serving: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    serving = await serve(testApp().app, { port: 0, host: '127.0.0.1', signals: [] });
  });
  afterAll(() => serving.shutdown('test over'));

  function jsonOf(answer: string): { error: Record<string, string> } {
    return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: Record<string, string> };
  }

  test('when the headers are oversized, then 431 headers_too_large in JSON', async () => {
    const answer = await raw(serving.port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    const body = jsonOf(answer);
    expect(body.error).toMatchObject({ code: 'headers_too_large', message: 'the request could not be parsed' });
    expect(answer).toContain(`X-Request-Id: ${body.error.request_id}`);
  });

  test('when the request line is garbage, then 400 bad_request in JSON', async () => {
    const answer = await raw(serving.port, 'HELLO THERE\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(jsonOf(answer).error).toMatchObject({ code: 'bad_request' });
  });
});
