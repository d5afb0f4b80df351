import { createEventBus, createLogger } from '@bundle/kit';
import { testRedis, closeTestRedis } from '@bundle/kit/testing';
import type Redis from 'ioredis';
import { createMessageStore, type MessageStore } from '../../src/store';
import { createOutboxRelay } from '../../src/worker/outbox-relay';
import { identity } from './helpers';

let redis: Redis;
let store: MessageStore;
beforeAll(async () => {
  redis = await testRedis();
  store = createMessageStore(redis);
});
afterAll(() => closeTestRedis());

const logger = createLogger(identity, 'silent');

describe('outbox relay', () => {
  test('when a message is younger than the grace period, then it is left to its request', async () => {
    const stored = await store.append('fresh', { id: 'u1', nickname: 'one' }, 'req-1');
    const now = Number(stored.id.split('-')[0]);
    const relay = createOutboxRelay({
      store,
      bus: createEventBus(redis),
      logger,
      graceMs: 10_000,
      intervalMs: 1000,
      now: () => now + 5000,
    });

    expect(await relay.runOnce()).toBe(0);
    expect(await redis.zrange('messages:outbox', 0, -1)).toContain(stored.id);
  });

  test('when two relays run at once, then a message is published once: the first leases it', async () => {
    const stored = await store.append('contended', { id: 'u2', nickname: 'two' }, 'req-2');
    const now = Number(stored.id.split('-')[0]) + 20_000;
    const bus = createEventBus(redis, { stream: 'test:contended' });
    const relay = () => createOutboxRelay({ store, bus, logger, graceMs: 10_000, intervalMs: 1000, now: () => now });

    const [first, second] = await Promise.all([relay().runOnce(), relay().runOnce()]);

    const published = (await bus.after('0')).filter((event) => (event.payload as { id: string }).id === stored.id);
    expect(published).toHaveLength(1);
    expect(first + second).toBeGreaterThanOrEqual(1);
  });

  test('when started, then it publishes on its own schedule, and stop() ends it', async () => {
    const bus = createEventBus(redis, { stream: 'test:scheduled' });
    const stored = await store.append('scheduled', { id: 'u3', nickname: 'three' }, 'req-3');
    const relay = createOutboxRelay({ store, bus, logger, graceMs: 1, intervalMs: 1, now: () => Date.now() + 10 });
    const reader = redis.duplicate();

    relay.start();
    // Waits for the relay's events (older unpublished messages of this file come first), not for a time.
    const seen: string[] = [];
    let after = '0';
    for (let round = 0; round < 10 && !seen.includes(stored.id); round += 1) {
      const events = await bus.read(reader, after, 5000);
      seen.push(...events.map((event) => (event.payload as { id: string }).id));
      after = events.at(-1)?.id ?? after;
    }
    await relay.stop();
    reader.disconnect();

    expect(seen).toContain(stored.id);
    expect(await redis.zscore('messages:outbox', stored.id)).toBeNull();
  });
});
