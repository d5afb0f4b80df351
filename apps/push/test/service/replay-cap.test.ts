import { randomUUID } from 'node:crypto';
import { allocateTestDatabase, createTestTokens, type TestTokens } from '@bundle/kit/testing';
import { SseReader } from '../support/sse-reader';
import { message, startPush, type PushUnderTest } from '../support/harness';

// Issue 22 item 6: Last-Event-ID 0-0 replayed the whole bus (up to 100,000 entries of about
// 8 KB) on every stream a user opened. A resume now reaches back at most MAX_REPLAY_EVENTS.
const CAP = 5;
const EVENTS = ['message.created', 'user.created', 'history.reload'];

let tokens: TestTokens;
let push: PushUnderTest;

beforeAll(async () => {
  tokens = await createTestTokens();
  push = await startPush({ redisUrl: await allocateTestDatabase(), tokens, maxReplayEvents: CAP });
});
afterAll(() => push.stop());

const resume = async (lastEventId: string): Promise<SseReader> =>
  SseReader.open(`${push.url}/api/events`, {
    Authorization: `Bearer ${await tokens.sign({ id: randomUUID(), nickname: `u${randomUUID().slice(0, 8)}` })}`,
    'Last-Event-ID': lastEventId,
  });

const publishMany = async (count: number, label: string): Promise<string[]> => {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push(await push.bus.publish('message.created', message(`${label} ${i}`)));
  return ids;
};

describe('GET /api/events with Last-Event-ID: how far back a resume reaches', () => {
  test('when the client missed exactly as many events as the cap, then it gets all of them', async () => {
    const [seen] = await publishMany(1, 'seen');
    const missed = await publishMany(CAP, 'missed');
    const reader = await resume(seen!);
    await reader.waitForEvents(CAP, EVENTS);
    const live = await push.bus.publish('message.created', message('live'));
    await reader.waitForEvents(CAP + 1, EVENTS);
    await reader.close();
    expect(reader.events(EVENTS).map((event) => event.id)).toEqual([...missed, live]);
  });

  test('when the client missed one event more than the cap, then it gets one history.reload carrying the id to resume from, none of the gap, then live events', async () => {
    const [seen] = await publishMany(1, 'seen');
    const missed = await publishMany(CAP + 1, 'missed');
    const reader = await resume(seen!);
    await reader.waitForEvents(1, EVENTS);
    const live = await push.bus.publish('message.created', message('live'));
    await reader.waitForEvents(2, EVENTS);
    await reader.close();
    const [reload, next] = reader.events(EVENTS);
    expect(reload).toEqual({
      id: missed.at(-1),
      event: 'history.reload',
      data: { name: 'history.reload', time: expect.any(String), payload: { max_replay_events: CAP } },
    });
    expect(next?.id).toBe(live);
  });

  test('when the client sends Last-Event-ID 0-0 on a long bus, then one history.reload and nothing of the bus', async () => {
    await publishMany(3 * CAP, 'old');
    const end = await push.bus.lastId();
    const reader = await resume('0-0');
    await reader.waitForEvents(1, EVENTS);
    const live = await push.bus.publish('message.created', message('live'));
    await reader.waitForEvents(2, EVENTS);
    await reader.close();
    expect(reader.events(EVENTS).map((event) => [event.event, event.id])).toEqual([
      ['history.reload', end],
      ['message.created', live],
    ]);
  });
});
