import { randomUUID } from 'node:crypto';
import { parseEntries, type BusEvent, type StreamEntry } from '@bundle/kit';
import { allocateTestDatabase, createTestTokens, type TestTokens } from '@bundle/kit/testing';
import { SseReader } from '../support/sse-reader';
import { startPush, type PushUnderTest } from '../support/harness';

let tokens: TestTokens;
let push: PushUnderTest;
const user = () => ({ id: randomUUID(), nickname: `u${randomUUID().slice(0, 8)}` });
const open = async (who = user(), headers: Record<string, string> = {}): Promise<SseReader> => {
  const reader = await SseReader.open(`${push.url}/api/events`, { Authorization: `Bearer ${await tokens.sign(who)}`, ...headers });
  await reader.waitFor((item) => item.kind === 'retry');
  return reader;
};
const presenceOf = (reader: SseReader, name: 'user.online' | 'user.offline', id: string) =>
  reader.waitFor((item) => item.event === name && (JSON.parse(item.data ?? '{}') as { payload: { id: string } }).payload.id === id);
/** The bus entry behind an SSE event, as the kit reads it. */
const busEntry = async (id: string | undefined): Promise<BusEvent | undefined> =>
  parseEntries((await push.redis.xrange('bus:events', id ?? '', id ?? '')) as StreamEntry[])[0];

beforeAll(async () => {
  tokens = await createTestTokens();
  push = await startPush({ redisUrl: await allocateTestDatabase(), tokens });
});
afterAll(async () => {
  await push.stop();
});

describe('presence entries on the bus', () => {
  test("when a stream opens and closes, then user.online and user.offline carry the opening request's id and a traceparent in its trace", async () => {
    const watcher = await open();
    const dana = user();
    const requestId = `presence-${randomUUID()}`;
    const traceId = randomUUID().replaceAll('-', '');
    const stream = await open(dana, { 'X-Request-Id': requestId, traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    const online = await presenceOf(watcher, 'user.online', dana.id);
    await stream.close();
    const offline = await presenceOf(watcher, 'user.offline', dana.id);
    await watcher.close();

    const inTrace = expect.stringMatching(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect([await busEntry(online.id), await busEntry(offline.id)]).toEqual([
      { id: online.id, name: 'user.online', time: expect.any(String), payload: dana, request_id: requestId, traceparent: inTrace },
      { id: offline.id, name: 'user.offline', time: expect.any(String), payload: dana, request_id: requestId, traceparent: inTrace },
    ]);
  });
});
