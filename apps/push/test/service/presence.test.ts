import { once } from 'node:events';
import { createEventBus, createLogger, createRedis, quitRedis, runInTrace, type Redis } from '@bundle/kit';
import { allocateTestDatabase } from '@bundle/kit/testing';
import { createPresence } from '../../src/domain/presence';
import { createPresenceStore, type PresenceStore } from '../../src/store';

let redis: Redis;
let databaseUrl: string;
let store: PresenceStore;
let bus: ReturnType<typeof createEventBus>;
const ann = { id: 'u-ann', nickname: 'ann' };

beforeAll(async () => {
  databaseUrl = await allocateTestDatabase();
  redis = createRedis({
    url: databaseUrl,
    logger: createLogger({ app: 'push', instance: '0', version: 't' }, 'silent'),
    name: 'event-bus',
  });
  store = createPresenceStore(redis, { stream: 'bus:events', maxLength: 1000, ttlMs: 60_000 });
  bus = createEventBus(redis);
  await once(redis, 'ready');
});
afterAll(async () => {
  await quitRedis(redis);
});

const presenceEvents = async () =>
  (await bus.latest(100)).filter((event) => event.name.startsWith('user.o')).map((event) => [event.name, event.payload]);

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

  describe('with an offline grace', () => {
    const GRACE_MS = 5000;
    let graced: PresenceStore;
    beforeAll(() => {
      graced = createPresenceStore(redis, { stream: 'bus:events', maxLength: 1000, ttlMs: 60_000, offlineGraceMs: GRACE_MS });
    });
    const eventsOf = async (id: string) =>
      (await presenceEvents()).filter(([, payload]) => (payload as { id: string }).id === id).map(([name]) => name);

    test('when a user closes their last stream and opens one within the grace (a reload, a reconnection elsewhere), then no offline and no second online', async () => {
      const dee = { id: 'u-dee', nickname: 'dee' };
      await graced.change('a', dee, 1);
      await graced.change('a', dee, -1);
      await graced.change('b', dee, 1);
      // Past the grace, nothing is due: dee has a stream.
      const flushed = await graced.flushLeaving(Date.now() + GRACE_MS + 1);
      expect({ flushed, events: await eventsOf(dee.id), streams: await graced.streamsOf(dee.id) }).toEqual({
        flushed: 0,
        events: ['user.online'],
        streams: 1,
      });
    });

    test('when the grace passes with no stream of theirs, then one offline is published, by one flush only', async () => {
      const eve = { id: 'u-eve', nickname: 'eve' };
      const now = Date.now();
      await graced.change('a', eve, 1);
      await graced.change('a', eve, -1);
      const early = await graced.flushLeaving(now + GRACE_MS - 1000);
      const late = await graced.flushLeaving(now + GRACE_MS + 1000);
      const again = await graced.flushLeaving(now + GRACE_MS + 2000);
      expect({ early, late, again, events: await eventsOf(eve.id) }).toEqual({
        early: 0,
        late: 1,
        again: 0,
        events: ['user.online', 'user.offline'],
      });
    });

    test('when an instance is taken for dead, then its users wait out the grace too: those who reconnected elsewhere never go offline', async () => {
      const fay = { id: 'u-fay', nickname: 'fay' };
      const gus = { id: 'u-gus', nickname: 'gus' };
      await graced.change('dying', fay, 1);
      await graced.change('dying', gus, 1);
      const before = Date.now() + 1;
      await redis.zadd('push:instances', before + 10_000, 'survivor');
      await graced.sweep('survivor', before);
      await graced.change('survivor', fay, 1); // fay's client reconnected to the survivor
      await graced.flushLeaving(Date.now() + GRACE_MS + 1);
      expect({ fay: await eventsOf(fay.id), gus: await eventsOf(gus.id) }).toEqual({
        fay: ['user.online'],
        gus: ['user.online', 'user.offline'],
      });
    });

    test('when the grace passes, then the offline carries the request fields of the close that started it; an offline no request caused carries none', async () => {
      const ivy = { id: 'u-ivy', nickname: 'ivy' };
      const jon = { id: 'u-jon', nickname: 'jon' };
      const trace = { requestId: 'req-ivy-closes-0123456789', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', flags: '01' };
      await graced.change('a', ivy, 1);
      await runInTrace(trace, () => graced.change('a', ivy, -1));
      await graced.change('lost', jon, 1);
      const before = Date.now() + 1;
      await redis.zadd('push:instances', before + 10_000, 'sweeper');
      await graced.sweep('sweeper', before);
      await graced.flushLeaving(Date.now() + GRACE_MS + 1);
      const offlines = (await bus.latest(100)).filter(
        (event) => event.name === 'user.offline' && [ivy.id, jon.id].includes(event.payload.id as string),
      );
      expect({ offlines, context: await redis.hlen('push:leaving:context') }).toEqual({
        offlines: [
          {
            id: expect.any(String),
            name: 'user.offline',
            time: expect.any(String),
            payload: ivy,
            request_id: trace.requestId,
            traceparent: expect.stringMatching(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/),
          },
          { id: expect.any(String), name: 'user.offline', time: expect.any(String), payload: jon },
        ],
        context: 0,
      });
    });

    test('when presence runs with a grace, then its own flush publishes the due offline, without being asked', async () => {
      const hal = { id: 'u-hal', nickname: 'hal' };
      const logger = createLogger({ app: 'push', instance: '0', version: 't' }, 'silent');
      // Its own connection: XREAD BLOCK holds the one it runs on.
      const reader = createRedis({ url: databaseUrl, logger, name: 'reader' });
      await once(reader, 'ready');
      const presence = createPresence({
        store: createPresenceStore(redis, { stream: 'bus:events', maxLength: 1000, ttlMs: 60_000, offlineGraceMs: 1 }),
        instance: 'flusher',
        refreshMs: 60_000,
        logger,
        flushMs: 10,
      });
      try {
        await presence.opened(hal);
        const cursor = (await redis.xrevrange('bus:events', '+', '-', 'COUNT', 1))[0]?.[0] ?? '0';
        presence.start();
        await presence.closed(hal);
        let after = cursor;
        let offline: string | undefined;
        while (offline === undefined) {
          const reply = (await reader.xread('BLOCK', 10_000, 'STREAMS', 'bus:events', after)) as [string, [string, string[]][]][] | null;
          const entries = reply?.[0]?.[1] ?? [];
          if (entries.length === 0) break;
          after = entries.at(-1)?.[0] ?? after;
          offline = entries.map(([, fields]) => fields.join(' ')).find((text) => text.includes('user.offline') && text.includes('u-hal'));
        }
        expect(offline).toBeDefined();
      } finally {
        presence.stop();
        await quitRedis(reader);
      }
    });
  });
});

// Issue 22 item 5: ten accounts opening and closing streams wrote 60 presence entries in 20 s,
// each sent to every open stream. With a cooldown, a churning user writes about two per cooldown.
describe('with a cooldown', () => {
  const GRACE_MS = 5000;
  const COOLDOWN_MS = 30_000;
  let cooled: PresenceStore;
  beforeAll(() => {
    cooled = createPresenceStore(redis, {
      stream: 'bus:events',
      maxLength: 1000,
      ttlMs: 60_000,
      offlineGraceMs: GRACE_MS,
      cooldownMs: COOLDOWN_MS,
    });
  });
  const eventsOf = async (id: string) =>
    (await presenceEvents()).filter(([, payload]) => (payload as { id: string }).id === id).map(([name]) => name);

  /** A stream opened at `at` and closed a second later, then the due offlines flushed at `at` + 7 s (past the grace). */
  const churn = async (user: { id: string; nickname: string }, at: number): Promise<void> => {
    await cooled.change('a', user, 1, at);
    await cooled.change('a', user, -1, at + 1000);
    await cooled.flushLeaving(at + 7000);
  };

  test('when a user opens and closes a stream every 8 s for a minute, then about two presence events per cooldown, not two per cycle', async () => {
    const churner = { id: 'u-churner', nickname: 'churner' };
    const start = Date.now();
    for (let cycle = 0; cycle < 8; cycle += 1) await churn(churner, start + cycle * 8000);
    await cooled.flushLeaving(start + 8 * 8000 + COOLDOWN_MS);
    // Without the cooldown: an online and an offline for each of the 8 cycles (16).
    expect(await eventsOf(churner.id)).toEqual(['user.online', 'user.offline', 'user.online', 'user.offline']);
  });

  test('when a user leaves long after their last announcement, then their offline waits only the grace', async () => {
    const leaver = { id: 'u-leaver', nickname: 'leaver' };
    const start = Date.now();
    await cooled.change('a', leaver, 1, start);
    await cooled.change('a', leaver, -1, start + COOLDOWN_MS + 1000);
    const published = await cooled.flushLeaving(start + COOLDOWN_MS + 1000 + GRACE_MS + 1);
    expect({ published, events: await eventsOf(leaver.id) }).toEqual({ published: 1, events: ['user.online', 'user.offline'] });
  });

  test('when a user leaves right after coming online, then their offline waits out the cooldown, and a stream opened meanwhile publishes nothing', async () => {
    const returner = { id: 'u-returner', nickname: 'returner' };
    const start = Date.now();
    await cooled.change('a', returner, 1, start);
    await cooled.change('a', returner, -1, start + 1000);
    const afterGrace = await cooled.flushLeaving(start + 1000 + GRACE_MS + 1);
    await cooled.change('b', returner, 1, start + 20_000);
    const afterCooldown = await cooled.flushLeaving(start + COOLDOWN_MS + 1);
    expect({ afterGrace, afterCooldown, events: await eventsOf(returner.id), streams: await cooled.streamsOf(returner.id) }).toEqual({
      afterGrace: 0,
      afterCooldown: 0,
      events: ['user.online'],
      streams: 1,
    });
  });
});
