import { randomUUID } from 'node:crypto';
import { allocateTestDatabase, createTestTokens, type TestTokens } from '@bundle/kit/testing';
import { SseReader } from '../support/sse-reader';
import { startPush, type PushUnderTest } from '../support/harness';

let tokens: TestTokens;
let push: PushUnderTest;
const user = () => ({ id: randomUUID(), nickname: `u${randomUUID().slice(0, 8)}` });
const open = async (who: { id: string; nickname: string }): Promise<SseReader> =>
  SseReader.open(`${push.url}/api/events`, { Authorization: `Bearer ${await tokens.sign(who)}` });

beforeAll(async () => {
  tokens = await createTestTokens();
  push = await startPush({ redisUrl: await allocateTestDatabase(), tokens, maxStreamsPerUser: 3 });
});
afterAll(async () => {
  await push.stop();
});

describe('GET /api/events, streams per user', () => {
  test('when a user opens one stream over the limit, then 429 with Retry-After and the JSON error; others are unaffected', async () => {
    const who = user();
    const held = [await open(who), await open(who), await open(who)];
    const over = await open(who);
    const someoneElse = await open(user());

    expect(held.map((reader) => reader.status)).toEqual([200, 200, 200]);
    expect({ status: over.status, retryAfter: over.headers['retry-after'], error: JSON.parse(over.body).error }).toEqual({
      status: 429,
      retryAfter: '5',
      error: { code: 'too_many_requests', message: expect.stringMatching(/at most 3\)/), request_id: expect.any(String) },
    });
    expect(someoneElse.status).toBe(200);

    // A closed stream gives its slot back.
    await held[0]!.close();
    await push.logged((record) => record.request_id === held[0]!.headers['x-request-id'] && record.msg === 'stream closed');
    const again = await open(who);
    expect(again.status).toBe(200);
    await Promise.all([...held.slice(1), again, someoneElse].map((reader) => reader.close()));
  });

  test('when a user opens many streams at once, then exactly the limit of them open', async () => {
    const who = user();
    const readers = await Promise.all(Array.from({ length: 40 }, () => open(who)));
    const statuses = readers.map((reader) => reader.status);
    expect({
      opened: statuses.filter((status) => status === 200).length,
      refused: statuses.filter((status) => status === 429).length,
    }).toEqual({ opened: 3, refused: 37 });
    await Promise.all(readers.filter((reader) => reader.status === 200).map((reader) => reader.close()));
  });
});

describe('GET /api/events, streams per instance', () => {
  let full: PushUnderTest;
  beforeAll(async () => {
    full = await startPush({ redisUrl: await allocateTestDatabase(), tokens, maxStreams: 2 });
  });
  afterAll(async () => {
    await full.stop();
  });
  const openOn = async (target: PushUnderTest): Promise<SseReader> =>
    SseReader.open(`${target.url}/api/events`, { Authorization: `Bearer ${await tokens.sign(user())}` });

  test('when the instance holds its most streams, then the next gets 503 with Retry-After and the JSON error; a closed stream frees its slot', async () => {
    const held = [await openOn(full), await openOn(full)];
    const over = await openOn(full);
    expect(held.map((reader) => reader.status)).toEqual([200, 200]);
    expect({ status: over.status, retryAfter: over.headers['retry-after'], error: JSON.parse(over.body).error }).toEqual({
      status: 503,
      retryAfter: '2',
      error: {
        code: 'service_unavailable',
        message: expect.stringMatching(/holds all the event streams it can \(2\)/),
        request_id: expect.any(String),
      },
    });
    await held[0]!.close();
    await full.logged((record) => record.request_id === held[0]!.headers['x-request-id'] && record.msg === 'stream closed');
    const again = await openOn(full);
    expect(again.status).toBe(200);
    await Promise.all([held[1]!, again].map((reader) => reader.close()));
  });
});

// Issue 22 item 1: 52 accounts filled an instance's streams for everyone, and a user's limit
// held per instance only (two instances: twice the streams).
describe('GET /api/events, streams per user on all instances together', () => {
  let first: PushUnderTest;
  let second: PushUnderTest;
  beforeAll(async () => {
    const redisUrl = await allocateTestDatabase();
    [first, second] = await Promise.all([
      startPush({ redisUrl, tokens, maxStreamsPerUser: 3 }),
      startPush({ redisUrl, tokens, maxStreamsPerUser: 3 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([first.stop(), second.stop()]);
  });
  const openOn = async (push: PushUnderTest, who: { id: string; nickname: string }): Promise<SseReader> =>
    SseReader.open(`${push.url}/api/events`, { Authorization: `Bearer ${await tokens.sign(who)}` });

  test('when a user holds their limit across two instances, then the next stream on either gets 429 with Retry-After; a closed one frees a slot', async () => {
    const who = user();
    const held = [await openOn(first, who), await openOn(first, who), await openOn(second, who)];
    const overOnFirst = await openOn(first, who);
    const overOnSecond = await openOn(second, who);
    expect(held.map((reader) => reader.status)).toEqual([200, 200, 200]);
    expect(
      [overOnFirst, overOnSecond].map((reader) => [reader.status, reader.headers['retry-after'], JSON.parse(reader.body).error.code]),
    ).toEqual([
      [429, '5', 'too_many_requests'],
      [429, '5', 'too_many_requests'],
    ]);

    await held[2]!.close();
    await second.logged((record) => record.request_id === held[2]!.headers['x-request-id'] && record.msg === 'stream closed');
    // The close reaches Redis after the line: wait for the count rather than for time.
    while (Number(await first.redis.hget('push:online', who.id)) > 2) await new Promise((resolve) => setImmediate(resolve));
    const again = await openOn(first, who);
    expect(again.status).toBe(200);
    await Promise.all([...held.slice(0, 2), again].map((reader) => reader.close()));
  });
});

describe('GET /api/events, streams per client address', () => {
  let shared: PushUnderTest;
  beforeAll(async () => {
    shared = await startPush({ redisUrl: await allocateTestDatabase(), tokens, maxStreamsPerAddress: 2 });
  });
  afterAll(async () => {
    await shared.stop();
  });

  test('when one address holds its limit with two accounts, then a third account from it gets 429 with Retry-After naming the address limit', async () => {
    const openFrom = async (who: { id: string; nickname: string }): Promise<SseReader> =>
      SseReader.open(`${shared.url}/api/events`, { Authorization: `Bearer ${await tokens.sign(who)}` });
    const held = [await openFrom(user()), await openFrom(user())];
    const third = await openFrom(user());
    expect(held.map((reader) => reader.status)).toEqual([200, 200]);
    expect({ status: third.status, retryAfter: third.headers['retry-after'], message: JSON.parse(third.body).error.message }).toEqual({
      status: 429,
      retryAfter: '5',
      message: 'too many event streams open from this address (at most 2 on an instance); close one or try again later',
    });
    await Promise.all(held.map((reader) => reader.close()));
  });
});
