import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import supertest from 'supertest';
import { createEventBus } from '../../src/bus';
import { createServiceClient } from '../../src/client';
import { createLogger } from '../../src/log';
import { createRedis, quitRedis, type Redis } from '../../src/redis';
import { logSink } from '../../src/testing/log-sink';
import { allocateTestDatabase } from '../../src/testing/test-redis';
import { identity, testApp } from '../support/app';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const INCOMING = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
const traceIdIn = (traceparent: string | undefined) => /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent ?? '')?.[1];

describe('trace propagation', () => {
  let redis: Redis;
  let nextApp: ReturnType<ReturnType<typeof testApp>['app']['listen']>;
  let nextUrl: string;
  /** What the next app saw of each call. */
  const seen: Array<Record<string, string | undefined>> = [];

  beforeAll(async () => {
    redis = createRedis({
      url: await allocateTestDatabase(),
      logger: createLogger(identity, 'silent', logSink().stream),
      name: 'event-bus',
    });
    await once(redis, 'ready');
    const router = new Router();
    router.get('/echo', (ctx) => {
      seen.push({
        traceparent: ctx.get('traceparent') || undefined,
        tracestate: ctx.get('tracestate') || undefined,
        requestId: ctx.requestId,
      });
      ctx.body = { ok: true };
    });
    nextApp = testApp([router]).app.listen(0, '127.0.0.1');
    await once(nextApp, 'listening');
    nextUrl = `http://127.0.0.1:${(nextApp.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    nextApp?.close();
    await quitRedis(redis);
  });

  /** An app that, for each request, calls the next app and publishes a bus event, without handing either anything. */
  function firstApp(stream: string) {
    const client = createServiceClient({ name: 'next', baseUrl: nextUrl });
    const bus = createEventBus(redis, { stream });
    const router = new Router();
    router.post('/work', async (ctx) => {
      await client.request({ path: '/echo' });
      await bus.publish('work.done', { ok: true });
      ctx.status = 204;
    });
    return supertest(testApp([router]).app.callback());
  }

  test('when a request brings a traceparent, then the next app and the bus event get its trace id (a new parent id) and the same request id', async () => {
    seen.length = 0;
    const stream = `bus:trace:${Date.now()}`;
    const requestId = 'trace-0123456789abcdefghij';
    const response = await firstApp(stream)
      .post('/work')
      .set('traceparent', INCOMING)
      .set('tracestate', 'vendor=abc')
      .set('X-Request-Id', requestId);
    expect(response.status).toBe(204);
    const [event] = await createEventBus(redis, { stream }).latest(1);
    expect(seen.map((call) => [traceIdIn(call.traceparent), call.traceparent === INCOMING, call.tracestate, call.requestId])).toEqual([
      [TRACE_ID, false, 'vendor=abc', requestId],
    ]);
    expect([traceIdIn(event?.traceparent), event?.request_id]).toEqual([TRACE_ID, requestId]);
  });

  test('when a request brings no traceparent (or a broken one), then a new trace starts and the next app and the event share it', async () => {
    for (const header of [undefined, `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, 'garbage']) {
      seen.length = 0;
      const stream = `bus:trace:${Date.now()}:${String(header)}`;
      const call = firstApp(stream).post('/work');
      const response = await (header ? call.set('traceparent', header) : call);
      expect(response.status).toBe(204);
      const [event] = await createEventBus(redis, { stream }).latest(1);
      const traceId = traceIdIn(seen[0]?.traceparent);
      expect([
        traceId !== undefined && traceId !== TRACE_ID && !/^0+$/.test(traceId),
        traceIdIn(event?.traceparent) === traceId,
        seen[0]?.requestId,
      ]).toEqual([true, true, response.headers['x-request-id']]);
    }
  });
});
