import type Redis from 'ioredis';
import { createEventBus, type KitApp } from '@bundle/kit';
import supertest from 'supertest';
import { createMessageStore } from '../../src/store';
import { createOutboxRelay } from '../../src/worker/outbox-relay';
import { deadRedis, dropRedis, newUser, startHarness, type Harness } from './helpers';

describe('when the messages-db is down', () => {
  let h: Harness;
  let dead: Redis;
  beforeAll(async () => {
    dead = await deadRedis('messages-db');
    h = await startHarness({ messagesRedis: dead });
  });
  afterAll(async () => {
    await dropRedis(dead);
    await h.close();
  });

  test('then POST /api/messages is 503 with Retry-After and nothing goes to the bus', async () => {
    const before = await h.bus.lastId();
    const response = await supertest(h.app.callback())
      .post('/api/messages')
      .set('Authorization', `Bearer ${await h.tokens.sign(newUser())}`)
      .send({ text: 'hi' });
    expect([response.status, response.body.error.code, response.headers['retry-after']]).toEqual([503, 'service_unavailable', '1']);
    expect(await h.bus.lastId()).toBe(before);
  });

  test('then GET /api/messages is 503 with Retry-After', async () => {
    const response = await supertest(h.app.callback())
      .get('/api/messages')
      .set('Authorization', `Bearer ${await h.tokens.sign(newUser())}`);
    expect([response.status, response.headers['retry-after']]).toEqual([503, '1']);
  });

  test('then /ready is 503 naming messages-db', async () => {
    const response = await supertest(h.app.callback()).get('/ready');
    expect([response.status, response.body.failed]).toEqual([503, ['messages-db']]);
  });
});

describe('when the event bus is down', () => {
  let h: Harness;
  let dead: Redis;
  beforeAll(async () => {
    dead = await deadRedis('event-bus');
    // Tokens are still checked against the live database: only publishing fails.
    h = await startHarness({ busRedis: dead });
  });
  afterAll(async () => {
    await dropRedis(dead);
    await h.close();
  });

  test('then /ready is 503 naming event-bus', async () => {
    const response = await supertest(h.app.callback()).get('/ready');
    expect([response.status, response.body.failed]).toEqual([503, ['event-bus']]);
  });

  test('then a new message is stored (201) and stays in the outbox until the relay publishes it with its request id', async () => {
    const app: KitApp = h.app;
    const header = `Bearer ${await h.tokens.sign(newUser())}`;
    const requestId = 'req-outbox-test-000000000001';
    const before = await h.bus.lastId();

    const created = await supertest(app.callback())
      .post('/api/messages')
      .set('Authorization', header)
      .set('X-Request-Id', requestId)
      .send({ text: 'later @someone' });
    const history = await supertest(app.callback()).get('/api/messages').set('Authorization', header);

    expect(created.status).toBe(201);
    expect(history.body.items.at(-1)).toEqual(created.body);
    expect(await h.bus.after(before)).toEqual([]);
    expect(await h.redis.zrange('messages:outbox', 0, -1)).toEqual([created.body.id]);
    expect(h.logs.records.some((record) => record.message_id === created.body.id && record.level === 'warn')).toBe(true);

    // The bus is back: the worker's relay (here on the live client) catches up.
    const relay = createOutboxRelay({
      store: createMessageStore(h.redis),
      bus: createEventBus(h.redis),
      logger: app.kit.logger,
      graceMs: 0,
      intervalMs: 1000,
      now: () => Date.now() + 1,
    });
    expect(await relay.runOnce()).toBe(1);

    expect(await h.bus.after(before)).toEqual([
      { id: expect.any(String), name: 'message.created', time: expect.any(String), payload: created.body, request_id: requestId },
    ]);
    expect(await h.redis.zcard('messages:outbox')).toBe(0);
    expect(await relay.runOnce()).toBe(0);
  });
});
