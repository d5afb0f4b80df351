import { createLogger, createRedis, quitRedis, type Redis } from '@bundle/kit';
import { freePort } from '@bundle/kit/testing';
import supertest from 'supertest';
import { createUsersApp } from '../../src/app';
import { SERVICE_KEY, startHarness, TEST_HASH_PARAMS, type Harness } from './harness';

/** The app pointed at Redis URLs where nothing listens: every data route must say 503, not hang or 500. */
let healthy: Harness;
let downUsers: Redis;
let downBus: Redis;
let request: ReturnType<typeof supertest>;

beforeAll(async () => {
  healthy = await startHarness();
  const identity = { app: 'users', version: '0.0.0-test', commit: 'test', space: 'test', instance: '0' };
  const logger = createLogger(identity, 'silent');
  downUsers = createRedis({ url: `redis://127.0.0.1:${await freePort()}`, logger, name: 'users-db' });
  downBus = createRedis({ url: `redis://127.0.0.1:${await freePort()}`, logger, name: 'event-bus' });
  const app = createUsersApp({
    identity,
    logger,
    redis: downUsers,
    busRedis: downBus,
    verifyToken: async () => ({ id: 'someone', nickname: 'someone', jti: 'jti', exp: 0, token: 't' }),
    serviceKey: SERVICE_KEY,
    hashParams: TEST_HASH_PARAMS,
    processMetrics: false,
  });
  request = supertest(app.callback());
});
afterAll(async () => {
  await Promise.all([quitRedis(downUsers), quitRedis(downBus), healthy.close()]);
});

const unavailable = { error: { code: 'service_unavailable', message: expect.any(String), request_id: expect.any(String) } };

describe('when Redis is down', () => {
  test.each([
    ['POST /api/users', () => request.post('/api/users').send({ nickname: 'downtime', password: 'correct horse battery' })],
    ['GET /api/users', () => request.get('/api/users').set('Authorization', 'Bearer a.b.c')],
    ['GET /api/users/:id', () => request.get('/api/users/00000000-0000-0000-0000-000000000000')],
    ['PATCH /api/users/me', () => request.patch('/api/users/me').set('Authorization', 'Bearer a.b.c').send({ display_name: 'x' })],
    [
      'POST /api/users/internal/credentials/verify',
      () =>
        request
          .post('/api/users/internal/credentials/verify')
          .set('X-Service-Key', SERVICE_KEY)
          .send({ nickname: 'downtime', password: 'x'.repeat(8) }),
    ],
  ])('%s answers 503 with Retry-After', async (_route, send) => {
    const response = await send();

    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toEqual(expect.stringMatching(/^\d+$/));
    expect(response.body).toEqual(unavailable);
  });

  test('GET /ready answers 503 naming both bindings, GET /health still 200', async () => {
    const ready = await request.get('/ready');
    const health = await request.get('/health');

    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({
      status: 'unavailable',
      failed: ['users-db', 'event-bus'],
      checks: { 'users-db': expect.any(String), 'event-bus': expect.any(String) },
    });
    expect(health.status).toBe(200);
  });

  test('when only the bus is down, then registration still answers 201 (the account exists; the event is logged as lost)', async () => {
    const app = createUsersApp({
      identity: { app: 'users', version: '0.0.0-test', commit: 'test', space: 'test', instance: '0' },
      logger: createLogger({ app: 'users', version: 't', instance: '0' }, 'silent'),
      redis: healthy.redis,
      busRedis: downBus,
      verifyToken: async () => ({ id: 'someone', nickname: 'someone', jti: 'jti', exp: 0, token: 't' }),
      serviceKey: SERVICE_KEY,
      hashParams: TEST_HASH_PARAMS,
      processMetrics: false,
    });

    const response = await supertest(app.callback())
      .post('/api/users')
      .send({ nickname: `busdown_${process.pid}`, password: 'correct horse battery' });

    expect(response.status).toBe(201);
    expect(await healthy.redis.exists(`users:user:${response.body.id as string}`)).toBe(1);
  });
});
