import { once } from 'node:events';
import { createTestTokens, startRedisServer, type RedisServer, type TestTokens } from '@bundle/kit/testing';
import request from 'supertest';
import { startPush, type PushUnderTest } from '../support/harness';

let redis: RedisServer;
let push: PushUnderTest;
let tokens: TestTokens;

beforeAll(async () => {
  redis = await startRedisServer();
  tokens = await createTestTokens();
  push = await startPush({ redisUrl: redis.url, tokens });
});
afterAll(async () => {
  await push.stop();
  await redis.stop();
  // The helper waits for 'exit'; its pipes can outlive it and keep this worker alive.
  redis.process.stdout?.destroy();
  redis.process.stderr?.destroy();
});

describe('GET /ready', () => {
  test('when the event bus answers, then 200 with both checks ok', async () => {
    const res = await request(push.url).get('/ready');
    expect({ status: res.status, body: res.body }).toEqual({
      status: 200,
      body: { status: 'ready', checks: { 'event-bus': 'ok', 'event-bus-reader': 'ok' } },
    });
  });

  test('when the event bus is down, then /ready is 503 and opening a stream is 503 with Retry-After', async () => {
    const closed = once(push.redis, 'close');
    await redis.stop();
    await closed;
    const ready = await request(push.url).get('/ready');
    expect({ status: ready.status, failed: ready.body.failed }).toEqual({ status: 503, failed: expect.arrayContaining(['event-bus']) });
    const events = await request(push.url)
      .get('/api/events')
      .set('Authorization', `Bearer ${await tokens.sign({ id: 'u-1', nickname: 'ann' })}`);
    expect({ status: events.status, type: events.type, retryAfter: events.headers['retry-after'], code: events.body.error.code }).toEqual({
      status: 503,
      type: 'application/json',
      retryAfter: '1',
      code: 'service_unavailable',
    });
  });
});
