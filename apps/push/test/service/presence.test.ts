import { once } from 'node:events';
import { createEventBus, createLogger, createRedis, quitRedis, type Redis } from '@bundle/kit';
import { allocateTestDatabase } from '@bundle/kit/testing';
import { createPresenceStore, type PresenceStore } from '../../src/store';

let redis: Redis;
let store: PresenceStore;
let bus: ReturnType<typeof createEventBus>;
const ann = { id: 'u-ann', nickname: 'ann' };

beforeAll(async () => {
  redis = createRedis({ url: await allocateTestDatabase(), logger: createLogger({ app: 'push', instance: '0', version: 't' }, 'silent'), name: 'event-bus' });
  store = createPresenceStore(redis, { stream: 'bus:events', maxLength: 1000, ttlMs: 60_000 });
  bus = createEventBus(redis);
  await once(redis, 'ready');
});
afterAll(async () => {
  await quitRedis(redis);
});

const presenceEvents = async () => (await bus.latest(100)).filter((event) => event.name.startsWith('user.o')).map((event) => [event.name, event.payload]);

describe('presence store', () => {
  test('when a user opens streams on two instances and closes them, then exactly one online and one offline are published', async () => {
    const results = [
      await store.change('a', ann, 1),
      await store.change('b', ann, 1),
      await store.change('a', ann, -1),
      await store.streamsOf(ann.id),
      await store.change('b', ann, -1),
    ];
    expect(results).toEqual([expect.stringMatching(/^\d+-\d+$/), null, null, 1, expect.stringMatching(/^\d+-\d+$/)]);
    expect(await presenceEvents()).toEqual([
      ['user.online', ann],
      ['user.offline', ann],
    ]);
    expect(await redis.keys('*')).toEqual(expect.not.arrayContaining([expect.not.stringMatching(/^(push:|bus:)/)]));
  });

  test('when an instance stops refreshing, then another counts its users out and publishes their offline', async () => {
    const bob = { id: 'u-bob', nickname: 'bob' };
    await store.change('crashed', bob, 1);
    await store.reconcile('alive', []);
    const before = Date.now() + 1; // "crashed" refreshed before this instant, "alive" refreshes again below
    await redis.zadd('push:instances', before + 10_000, 'alive');
    const swept = await store.sweep('alive', before);
    const events = (await presenceEvents()).filter(([, payload]) => (payload as { id: string }).id === bob.id);
    expect({ swept, events, streams: await store.streamsOf(bob.id), again: await store.sweep('alive', before) }).toEqual({
      swept: 1,
      events: [
        ['user.online', bob],
        ['user.offline', bob],
      ],
      streams: 0,
      again: 0,
    });
  });

  test('when an instance that was taken for dead refreshes, then its users come back online and a late close is not counted twice', async () => {
    const cy = { id: 'u-cy', nickname: 'cy' };
    await store.change('slow', cy, 1);
    await store.sweep('other', Date.now() + 1);
    const late = await store.change('slow', cy, -1);
    const published = await store.reconcile('slow', [[cy.id, { count: 1, nickname: cy.nickname }]]);
    const events = (await presenceEvents()).filter(([, payload]) => (payload as { id: string }).id === cy.id).map(([name]) => name);
    expect({ late, published, events, streams: await store.streamsOf(cy.id) }).toEqual({
      late: null,
      published: 1,
      events: ['user.online', 'user.offline', 'user.online'],
      streams: 1,
    });
  });
});
