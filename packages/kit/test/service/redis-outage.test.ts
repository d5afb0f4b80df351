import { once } from 'node:events';
import Router from '@koa/router';
import supertest from 'supertest';
import { createLogger } from '../../src/log';
import { createRedis, quitRedis, redisReadiness, type Redis } from '../../src/redis';
import { logSink } from '../../src/testing/log-sink';
import { startRedisServer, type RedisServer } from '../../src/testing/redis-server';
import { identity, testApp } from '../support/app';

/** A Redis of this file's own, which the test stops and starts again on the same port. */
describe('when Redis goes away mid-test and comes back', () => {
  const redisLog = logSink();
  let server: RedisServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = createRedis({ url: server.url, logger: createLogger(identity, 'debug', redisLog.stream), name: 'users-db' });
    await once(redis, 'ready');
  });
  afterAll(async () => {
    await quitRedis(redis);
    await server.stop();
  });

  test('then 503 with Retry-After and /ready 503 while it is down, and recovery by itself when it returns', async () => {
    const router = new Router();
    router.post('/api/counter', async (ctx) => {
      ctx.body = { value: await redis.incr('counter') };
    });
    const { app } = testApp([router], { readiness: { redis: redisReadiness(redis) } });
    const request = supertest(app.callback());
    await request.post('/api/counter').expect(200, { value: 1 });
    await request.get('/ready').expect(200);

    const lost = new Promise((resolve) => redis.once('reconnecting', resolve));
    await server.stop();
    await lost;

    const down = await request.post('/api/counter');
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('1');
    expect(down.body.error).toEqual({
      code: 'service_unavailable',
      message: 'a backing service is unavailable, try again shortly',
      request_id: down.headers['x-request-id'],
    });
    const notReady = await request.get('/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body.failed).toEqual(['redis']);
    await request.get('/health').expect(200, { status: 'ok' });

    const back = new Promise((resolve) => redis.once('ready', resolve));
    server = await startRedisServer({ port: server.port });
    await back;

    // The restarted Redis kept nothing (no persistence): the counter starts again.
    await request.post('/api/counter').expect(200, { value: 1 });
    await request.get('/ready').expect(200);
    expect(redisLog.records.map((record) => [record.redis, record.msg])).toEqual([
      ['users-db', 'redis unavailable, reconnecting'],
      ['users-db', 'redis available again'],
    ]);
  });
});
