import { once } from 'node:events';
import { createEventBus } from '../../src/bus';
import { createLogger } from '../../src/log';
import { createRedis, quitRedis, type Redis } from '../../src/redis';
import { logSink } from '../../src/testing/log-sink';
import { allocateTestDatabase } from '../../src/testing/test-redis';
import { identity } from '../support/app';

describe('createEventBus', () => {
  const logger = createLogger(identity, 'silent', logSink().stream);
  let redis: Redis;
  let blocking: Redis;
  let streamCount = 0;
  /** A stream of each test's own, so tests never see each other's events. */
  const newBus = (maxLength?: number) => createEventBus(redis, { stream: `bus:test:${(streamCount += 1)}`, maxLength });

  beforeAll(async () => {
    const url = await allocateTestDatabase();
    redis = createRedis({ url, logger, name: 'event-bus' });
    blocking = createRedis({ url, logger, name: 'event-bus-reader', blocking: true });
    await Promise.all([once(redis, 'ready'), once(blocking, 'ready')]);
  });
  afterAll(async () => {
    await quitRedis(redis);
    await quitRedis(blocking);
  });

  test('when nothing was published, then lastId is "0" and after/latest are empty', async () => {
    const bus = newBus();
    expect(await bus.lastId()).toBe('0');
    expect(await bus.after('0')).toEqual([]);
    expect(await bus.latest(10)).toEqual([]);
  });

  test('when events are published, then after, latest and lastId see them in order', async () => {
    const bus = newBus();
    const first = await bus.publish('user.created', { id: 'u1' }, 'req-0123456789abcdefghij');
    const second = await bus.publish('message.created', { id: 'm1' });
    const third = await bus.publish('message.created', { id: 'm2' });

    const all = await bus.after('0');
    expect(all.map((event) => [event.id, event.name, event.payload])).toEqual([
      [first, 'user.created', { id: 'u1' }],
      [second, 'message.created', { id: 'm1' }],
      [third, 'message.created', { id: 'm2' }],
    ]);
    expect(all[0]).toMatchObject({ request_id: 'req-0123456789abcdefghij', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect((await bus.after(first)).map((event) => event.id)).toEqual([second, third]);
    expect((await bus.after('0', 1)).map((event) => event.id)).toEqual([first]);
    expect((await bus.latest(2)).map((event) => event.id)).toEqual([second, third]);
    expect(await bus.lastId()).toBe(third);
  });

  test('when a reader blocks, then it wakes with the next event', async () => {
    const bus = newBus();
    const from = await bus.publish('user.created', { id: 'u0' });
    const reading = bus.read(blocking, from, 5000);
    const published = await bus.publish('user.created', { id: 'u1' });
    expect(await reading).toEqual([expect.objectContaining({ id: published, payload: { id: 'u1' } })]);
  });

  test('when a blocking read has nothing before it times out, then empty', async () => {
    expect(await newBus().read(blocking, '$', 1)).toEqual([]);
  });

  test('when a page holds only entries that are not ours, then range and readBatch still give its last id, so the next read moves on', async () => {
    const bus = newBus();
    const first = await bus.publish('user.created', { id: 'u1' });
    const foreign = [await redis.xadd(bus.stream, '*', 'foreign', '1'), await redis.xadd(bus.stream, '*', 'foreign', '2')];
    const last = await bus.publish('user.created', { id: 'u2' });

    const skipped = await bus.range(first, '+', 2);
    const next = await bus.range(skipped.lastId as string, '+', 2);
    const read = await bus.readBatch(blocking, first, 1, 2);
    expect({ skipped, next: next.events.map((event) => event.id), nextLast: next.lastId, read }).toEqual({
      skipped: { events: [], lastId: foreign[1] },
      next: [last],
      nextLast: last,
      read: { events: [], lastId: foreign[1] },
    });
  });

  test('when range is bounded, then it reads (after, until] only; an empty read has no last id', async () => {
    const bus = newBus();
    const ids = [];
    for (let index = 0; index < 4; index += 1) ids.push(await bus.publish('tick', { index }));
    const [a, b, , d] = ids as [string, string, string, string];
    expect({
      bounded: (await bus.range(a, ids[2] as string)).events.map((event) => event.id),
      fromStart: (await bus.range('0', b)).lastId,
      empty: await bus.range(d),
      timedOut: await bus.readBatch(blocking, d, 1),
    }).toEqual({
      bounded: [b, ids[2]],
      fromStart: b,
      empty: { events: [], lastId: undefined },
      timedOut: { events: [], lastId: undefined },
    });
  });

  test('when a consumer group reads, then each event goes to one consumer and stays pending until acked', async () => {
    const bus = newBus();
    await bus.ensureGroup('workers');
    await bus.ensureGroup('workers'); // a second time is fine (BUSYGROUP)
    const id = await bus.publish('message.created', { id: 'm1' });

    expect((await bus.readGroup(blocking, 'workers', 'w1', 1)).map((event) => event.id)).toEqual([id]);
    expect(await bus.readGroup(blocking, 'workers', 'w2', 1)).toEqual([]);
    expect(await redis.xpending(bus.stream, 'workers')).toEqual([1, id, id, [['w1', '1']]]);

    await bus.ack('workers', id);
    await bus.ack('workers');
    expect((await redis.xpending(bus.stream, 'workers'))[0]).toBe(0);
  });

  test('when a consumer read but never acked, then another consumer claims it', async () => {
    const bus = newBus();
    await bus.ensureGroup('workers');
    const id = await bus.publish('message.created', { id: 'm1' });
    await bus.readGroup(blocking, 'workers', 'dead-worker', 1);

    const claimed = await bus.claimStale('workers', 'w2', 0);
    expect(claimed.map((event) => event.id)).toEqual([id]);
    expect(await redis.xpending(bus.stream, 'workers')).toEqual([1, id, id, [['w2', '1']]]);
  });

  test('when more events than the cap are published, then the stream is trimmed to about the cap', async () => {
    const bus = newBus(10);
    for (let index = 0; index < 500; index += 1) await bus.publish('tick', { index });
    const length = await redis.xlen(bus.stream);
    // MAXLEN ~ trims whole nodes (100 entries by default), so "about" means within one node.
    expect(length).toBeGreaterThanOrEqual(10);
    expect(length).toBeLessThanOrEqual(10 + 100);
    expect((await bus.latest(1))[0]?.payload).toEqual({ index: 499 });
  });

  test('when an entry that is not ours is in the stream, then readers skip it', async () => {
    const bus = newBus();
    await redis.xadd(bus.stream, '*', 'foreign', 'entry');
    const id = await bus.publish('user.created', { id: 'u1' });
    expect((await bus.after('0')).map((event) => event.id)).toEqual([id]);
  });
});
