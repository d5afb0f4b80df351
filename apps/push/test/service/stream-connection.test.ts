import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { allocateTestDatabase, createTestTokens, type TestTokens } from '@bundle/kit/testing';
import { SseReader } from '../support/sse-reader';
import { message, startPush, type PushUnderTest } from '../support/harness';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let tokens: TestTokens;
let push: PushUnderTest;
const user = () => ({ id: randomUUID(), nickname: `u${randomUUID().slice(0, 8)}` });

beforeAll(async () => {
  tokens = await createTestTokens();
  push = await startPush({ redisUrl: await allocateTestDatabase(), tokens, maxStreamsPerUser: 1 });
});
afterAll(async () => {
  await push.stop();
});

/** A raw connection that sends `request` and resolves `opened` once a stream's retry line arrives. */
function rawStream(request: string) {
  const socket = connect(Number(new URL(push.url).port), '127.0.0.1');
  socket.on('error', () => undefined);
  let read = '';
  socket.setEncoding('utf8');
  const opened = new Promise<void>((resolve) =>
    socket.on('data', (chunk: string) => {
      read += chunk;
      if (read.includes('retry:')) resolve();
    }),
  );
  socket.write(request);
  return { socket, opened, read: () => read };
}

const streamRequest = (token: string): string =>
  `GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`;

/** WeakRefs to the request and response objects of every request the server gets from now on. */
function watchRequests(): Array<{ req: WeakRef<IncomingMessage>; res: WeakRef<ServerResponse> }> {
  const seen: Array<{ req: WeakRef<IncomingMessage>; res: WeakRef<ServerResponse> }> = [];
  push.serving.server.prependListener('request', (req: IncomingMessage, res: ServerResponse) =>
    seen.push({ req: new WeakRef(req), res: new WeakRef(res) }),
  );
  return seen;
}

describe('an open event stream', () => {
  // An instance holds thousands of streams for hours: what each keeps is what the instance
  // needs in memory (apps/push/README.md, "Where a stream's memory goes").
  test('when it is open, then it keeps neither its request nor its response (nor the Koa context on them), and still delivers', async () => {
    const seen = watchRequests();
    const reader = await SseReader.open(`${push.url}/api/events`, { Authorization: `Bearer ${await tokens.sign(user())}` });
    expect(reader.status).toBe(200);
    await reader.waitFor((item) => item.kind === 'retry');
    await new Promise((resolve) => setImmediate(resolve)); // WeakRefs made in a job hold until it ends
    gc();
    gc();
    expect(seen.map(({ req, res }) => ({ req: req.deref() === undefined, res: res.deref() === undefined }))).toEqual([
      { req: true, res: true },
    ]);

    const posted = message('still streaming');
    await push.bus.publish('message.created', posted, 'r-memory');
    await reader.waitForEvents(1);
    expect(reader.events()[0]?.data.payload).toEqual(posted);
    await reader.close();
  });

  test("when the runtime's HTTP server cannot hand a stream over, then it streams from the response as before and one warning says so", async () => {
    // A server without a parser it could free (another runtime): the kit leaves the stream where it is.
    const hide = (req: IncomingMessage): void => {
      Object.defineProperty(req.socket, 'parser', { configurable: true, get: () => undefined, set: () => undefined });
    };
    push.serving.server.prependListener('request', hide);
    const readers = [];
    try {
      for (let i = 0; i < 2; i += 1)
        readers.push(await SseReader.open(`${push.url}/api/events`, { Authorization: `Bearer ${await tokens.sign(user())}` }));
    } finally {
      push.serving.server.off('request', hide);
    }
    expect(readers.map((reader) => reader.status)).toEqual([200, 200]);
    const posted = message('from the response');
    await push.bus.publish('message.created', posted, 'r-kept');
    for (const reader of readers) await reader.waitForEvents(1);
    expect(readers.map((reader) => reader.events()[0]?.data.payload)).toEqual([posted, posted]);
    const warnings = push.sink.records.filter((record) => String(record.msg).includes('could not be taken over'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn' });
    await Promise.all(readers.map((reader) => reader.close()));
  });

  test('when a client pipelines two stream requests on one connection, then only the first streams, the second is refused without a slot, and a reset ends everything', async () => {
    // Two users, one stream each allowed here: the second user's slot shows whether the refused request took one.
    const tokensOf = await Promise.all([tokens.sign(user()), tokens.sign(user())]);
    const before = push.sink.records.length;
    // One packet: node reads both before the first stream opens.
    const { socket, opened } = rawStream(streamRequest(tokensOf[0]!) + streamRequest(tokensOf[1]!));
    await opened;
    const accessLines = (): Array<Record<string, unknown>> =>
      push.sink.records.slice(before).filter((record) => record.msg === 'request' && record.path === '/api/events');
    await push.logged(() => accessLines().length === 2);
    expect(
      accessLines()
        .map((record) => record.status)
        .sort(),
    ).toEqual([200, 400]);
    socket.resetAndDestroy();
    const streamed = accessLines().find((record) => record.status === 200);
    expect(await push.logged((record) => record.msg === 'stream closed' && record.request_id === streamed?.request_id)).toMatchObject({
      reason: 'gone',
    });
    const again = await Promise.all(
      tokensOf.map((token) => SseReader.open(`${push.url}/api/events`, { Authorization: `Bearer ${token}` })),
    );
    expect(again.map((reader) => reader.status)).toEqual([200, 200]);
    await Promise.all(again.map((reader) => reader.close()));
  });

  test('when a client sends its request and closes its side at once, then the stream still ends and gives its slot back', async () => {
    const token = await tokens.sign(user());
    const before = push.sink.records.length;
    const socket = connect(Number(new URL(push.url).port), '127.0.0.1');
    socket.resume();
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.end(streamRequest(token));
    await closed;
    const access = await push.logged(
      (record) => record.msg === 'request' && record.path === '/api/events' && push.sink.records.indexOf(record) >= before,
    );
    expect(await push.logged((record) => record.msg === 'stream closed' && record.request_id === access.request_id)).toMatchObject({
      reason: 'gone',
    });
  });

  test('when its client half-closes the connection, then the stream ends as gone and its slot is given back', async () => {
    const who = user();
    const token = await tokens.sign(who);
    const { socket, opened, read } = rawStream(streamRequest(token));
    const ended = new Promise((resolve) => socket.on('end', resolve));
    await opened;
    const requestId = /x-request-id: (\S+)\r\n/i.exec(read())?.[1];
    socket.end();
    await ended;
    expect(await push.logged((record) => record.msg === 'stream closed' && record.request_id === requestId)).toMatchObject({
      reason: 'gone',
    });
    // One stream per user here: a second opens only if the first gave its slot back.
    const again = await SseReader.open(`${push.url}/api/events`, { Authorization: `Bearer ${token}` });
    expect(again.status).toBe(200);
    await again.close();
  });
});
