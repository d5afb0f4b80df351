import { randomUUID } from 'node:crypto';
import { allocateTestDatabase, createTestTokens, type TestTokens } from '@bundle/kit/testing';
import { SseReader } from '../support/sse-reader';
import { message, startPush, type PushUnderTest } from '../support/harness';

let tokens: TestTokens;
let first: PushUnderTest;
let second: PushUnderTest;
let redisUrl: string;
const user = () => ({ id: randomUUID(), nickname: `u${randomUUID().slice(0, 8)}` });
const open = async (push: PushUnderTest, who = user()): Promise<SseReader> => {
  const reader = await SseReader.open(`${push.url}/api/events`, { Authorization: `Bearer ${await tokens.sign(who)}` });
  await reader.waitFor((item) => item.kind === 'retry');
  return reader;
};
const presenceOf = (reader: SseReader, name: 'user.online' | 'user.offline', id: string) =>
  reader.waitFor((item) => item.event === name && (JSON.parse(item.data ?? '{}') as { payload: { id: string } }).payload.id === id);

beforeAll(async () => {
  tokens = await createTestTokens();
  redisUrl = await allocateTestDatabase();
  [first, second] = await Promise.all([startPush({ redisUrl, tokens }), startPush({ redisUrl, tokens })]);
});
afterAll(async () => {
  await Promise.all([first.stop(), second.stop()]);
});

describe('GET /api/events on several instances', () => {
  test('when an event is published, then clients of both instances receive it', async () => {
    const [onFirst, onSecond] = await Promise.all([open(first), open(second)]);
    const id = await first.bus.publish('message.created', message('to everyone'));
    await Promise.all([onFirst.waitForEvents(1), onSecond.waitForEvents(1)]);
    await Promise.all([onFirst.close(), onSecond.close()]);
    expect([onFirst.events().map((event) => event.id), onSecond.events().map((event) => event.id)]).toEqual([[id], [id]]);
  });

  test('when a user opens a stream and later closes all of theirs, then others see user.online once and then user.offline', async () => {
    const watcher = await open(first);
    const bob = user();
    const bobOnSecond = await open(second, bob);
    const online = await presenceOf(watcher, 'user.online', bob.id);
    const bobOnFirst = await open(first, bob);
    await bobOnSecond.close();
    await bobOnFirst.close();
    const offline = await presenceOf(watcher, 'user.offline', bob.id);
    const bobEvents = watcher.events(['user.online', 'user.offline']).filter((event) => event.data.payload.id === bob.id);
    await watcher.close();
    expect(bobEvents.map((event) => [event.id, event.event, event.data.payload])).toEqual([
      [online.id, 'user.online', { id: bob.id, nickname: bob.nickname }],
      [offline.id, 'user.offline', { id: bob.id, nickname: bob.nickname }],
    ]);
  });

  test('when an instance drains, then its streams end (clients reconnect elsewhere) and their users go offline', async () => {
    const third = await startPush({ redisUrl, tokens });
    const watcher = await open(first);
    const carol = user();
    const leaving = await open(third, carol);
    await presenceOf(watcher, 'user.online', carol.id);
    await third.stop();
    await leaving.ended;
    const offline = await presenceOf(watcher, 'user.offline', carol.id);
    await watcher.close();
    expect({ first: leaving.items[0], offline: offline.event }).toEqual({ first: { kind: 'retry', retry: 2000 }, offline: 'user.offline' });
  });
});
