import { randomUUID } from 'node:crypto';
import { revokeToken } from '@bundle/kit';
import { allocateTestDatabase, createTestTokens, type TestTokens } from '@bundle/kit/testing';
import request from 'supertest';
import { SseReader } from '../support/sse-reader';
import { message, startPush, type PushUnderTest } from '../support/harness';

let tokens: TestTokens;
let push: PushUnderTest;
const user = () => ({ id: randomUUID(), nickname: `u${randomUUID().slice(0, 8)}` });
const bearer = async (who = user()): Promise<Record<string, string>> => ({ Authorization: `Bearer ${await tokens.sign(who)}` });
const open = async (query = '', headers: Record<string, string> = {}, who = user()): Promise<SseReader> =>
  SseReader.open(`${push.url}/api/events${query}`, { ...(await bearer(who)), ...headers });

beforeAll(async () => {
  tokens = await createTestTokens();
  // A replay cap above the long-history test's 1,220 events: replay-cap.test.ts tests the cap itself.
  push = await startPush({ redisUrl: await allocateTestDatabase(), tokens, heartbeatMs: 50, maxReplayEvents: 2000 });
});
afterAll(async () => {
  await push.stop();
});

describe('GET /api/events', () => {
  test('when no token is sent, then 401 with a Bearer challenge', async () => {
    const res = await request(push.url).get('/api/events');
    expect({ status: res.status, challenge: res.headers['www-authenticate'], code: res.body.error.code }).toEqual({
      status: 401,
      challenge: 'Bearer',
      code: 'unauthorized',
    });
    expect(res.body.error.request_id).toEqual(expect.any(String));
  });

  test('when the token is signed by another key, then 401 invalid_token', async () => {
    const other = await createTestTokens();
    const res = await request(push.url)
      .get('/api/events')
      .set('Authorization', `Bearer ${await other.sign(user())}`);
    expect({ status: res.status, challenge: res.headers['www-authenticate'], code: res.body.error.code }).toEqual({
      status: 401,
      challenge: 'Bearer error="invalid_token"',
      code: 'unauthorized',
    });
  });

  test('when the token is revoked, then 401 invalid_token', async () => {
    const token = await tokens.sign(user());
    const { jti, exp } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { jti: string; exp: number };
    await revokeToken(push.redis, jti, exp);
    const res = await request(push.url).get('/api/events').set('Authorization', `Bearer ${token}`);
    expect({ status: res.status, message: res.body.error.message }).toEqual({ status: 401, message: 'the token has been revoked' });
  });

  test('when the token comes in the Authorization header, then the stream opens with SSE headers, unframed to its close, and a retry line', async () => {
    const reader = await open();
    expect(reader.status).toBe(200);
    expect(reader.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'close',
    });
    // The body runs to the connection's close: no chunk framing around every write.
    expect(reader.headers['transfer-encoding']).toBeUndefined();
    expect(await reader.waitFor(() => true)).toEqual({ kind: 'retry', retry: 2000 });
    await reader.close();
  });

  test('when the token comes as ?access_token=, then 400 token_in_url in JSON and no stream, even with a valid header beside it', async () => {
    const token = await tokens.sign(user());
    const alone = await request(push.url).get(`/api/events?access_token=${token}`);
    const beside = await request(push.url).get(`/api/events?access_token=${token}`).set('Authorization', `Bearer ${token}`);
    for (const res of [alone, beside]) {
      expect({ status: res.status, type: res.type, code: res.body.error.code, field: res.body.error.field }).toEqual({
        status: 400,
        type: 'application/json',
        code: 'token_in_url',
        field: 'access_token',
      });
      expect(res.body.error.message).toMatch(/must not travel in the URL/);
    }
  });

  test('when the token comes only as a cookie, then 401: cookies are not read', async () => {
    const res = await request(push.url)
      .get('/api/events')
      .set('Cookie', `access_token=${await tokens.sign(user())}`);
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 401, code: 'unauthorized' });
  });

  test('when an event is published, then it arrives with the stream id, its name and the whole event as data', async () => {
    const reader = await open();
    await reader.waitFor((item) => item.kind === 'retry');
    await push.bus.publish('message.deleted', { id: 'not streamed' });
    const payload = message('hello');
    const id = await push.bus.publish('message.created', payload, 'req-1');
    await reader.waitForEvents(1);
    const [event] = reader.events();
    expect(event).toEqual({
      id,
      event: 'message.created',
      data: { name: 'message.created', time: expect.any(String), payload, request_id: 'req-1' },
    });
    await reader.close();
  });

  test('when a client comes back with Last-Event-ID, then it gets exactly the events after it, in order, then live ones', async () => {
    const seen = await push.bus.publish('message.created', message('seen'));
    const missed = [
      await push.bus.publish('message.created', message('missed 1')),
      await push.bus.publish('user.created', { id: 'u-2', nickname: 'bob', created_at: '' }),
    ];
    const reader = await open('', { 'Last-Event-ID': seen });
    await reader.waitForEvents(2);
    const live = await push.bus.publish('message.created', message('live'));
    await reader.waitForEvents(3);
    await reader.close();
    expect(reader.events().map((event) => event.id)).toEqual([...missed, live]);
  });

  test('when Last-Event-ID comes as ?last_event_id=, then it is honoured too', async () => {
    const seen = await push.bus.publish('message.created', message('seen'));
    const missed = await push.bus.publish('message.created', message('missed'));
    const reader = await open(`?last_event_id=${seen}`);
    await reader.waitForEvents(1);
    await reader.close();
    expect(reader.events().map((event) => event.id)).toEqual([missed]);
  });

  test('when events are published while a client replays a long history, then the seam has no gap and no duplicate', async () => {
    const start = await push.bus.publish('message.created', message('start'));
    const history: string[] = [];
    // Published together: one connection keeps them in order.
    history.push(
      ...(await Promise.all(Array.from({ length: 1200 }, (_, i) => push.bus.publish('message.created', message(`history ${i}`))))),
    );
    const reader = await open('', { 'Last-Event-ID': start });
    const live: string[] = [];
    for (let i = 0; i < 20; i += 1) live.push(await push.bus.publish('message.created', message(`live ${i}`)));
    expect(live.length).toBe(20);
    await reader.waitForEvents(1220);
    await reader.close();
    expect(reader.events().map((event) => event.id)).toEqual([...history, ...live]);
  });

  test('when Last-Event-ID is not an event id, then 400 with the field before any stream', async () => {
    const res = await request(push.url)
      .get('/api/events')
      .set(await bearer())
      .set('Last-Event-ID', 'yesterday');
    expect({ status: res.status, type: res.type, code: res.body.error.code, field: res.body.error.field }).toEqual({
      status: 400,
      type: 'application/json',
      code: 'invalid_request',
      field: 'Last-Event-ID',
    });
  });

  test('when Last-Event-ID looks like an event id but a part is past 64 bits, then 400 with the field (not a 500 from Redis)', async () => {
    const auth = await bearer();
    const answers = await Promise.all(
      ['0-18446744073709551616', '18446744073709551616-0', '99999999999999999999-9'].map(async (id) => {
        const res = await request(push.url).get('/api/events').set(auth).set('Last-Event-ID', id);
        return [id, res.status, res.body.error?.field];
      }),
    );
    expect(answers).toEqual([
      ['0-18446744073709551616', 400, 'Last-Event-ID'],
      ['18446744073709551616-0', 400, 'Last-Event-ID'],
      ['99999999999999999999-9', 400, 'Last-Event-ID'],
    ]);
  });

  test('when Last-Event-ID is past the end of the bus (an id from before the bus was emptied, or made up), then the stream starts at the end and gets the events published from then on', async () => {
    const reader = await open('', { 'Last-Event-ID': '18446744073709551615-0' });
    await reader.waitFor((item) => item.kind === 'retry');
    const live = await push.bus.publish('message.created', message('after a reset'));
    await reader.waitForEvents(1);
    await reader.close();
    expect(reader.events().map((event) => event.id)).toEqual([live]);
  });

  test('when the stream is idle, then a heartbeat comment arrives', async () => {
    const reader = await open();
    expect(await reader.waitFor((item) => item.kind === 'comment')).toEqual({ kind: 'comment', comment: 'ping' });
    await reader.close();
  });

  test('when a token comes in the query, then it is refused and, like a header token, appears nowhere in the logs', async () => {
    const token = await tokens.sign(user());
    const reader = await SseReader.open(`${push.url}/api/events`, { Authorization: `Bearer ${token}` });
    await reader.waitFor((item) => item.kind === 'retry');
    const requestId = reader.headers['x-request-id'];
    await reader.close();
    const refused = await request(push.url).get(`/api/events?access_token=${token}`);
    expect(refused.status).toBe(400);
    const refusal = await push.logged((record) => record.request_id === refused.headers['x-request-id'] && record.msg === 'request');
    expect(refusal).toMatchObject({ path: '/api/events', status: 400 });
    const line = await push.logged((record) => record.request_id === requestId && record.msg === 'request');
    expect(line).toMatchObject({ route: '/api/events', path: '/api/events', status: 200 });
    expect(push.sink.text()).not.toContain(token);
    expect(push.sink.text()).not.toContain(token.split('.')[2]);
    expect(push.sink.text()).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });
});

describe('GET /api/events, the request behind a stream', () => {
  // A stream lives for hours; the request's middleware chain must not live with it (it
  // held the Koa context, the pipeline's and routers' frames: about 8 KB a stream).
  test('when a stream is open, then its request is already done (its access line is written) and a stream closed line follows its end', async () => {
    const reader = await open();
    await reader.waitFor((item) => item.kind === 'retry');
    const requestId = reader.headers['x-request-id'];
    const access = await push.logged((record) => record.request_id === requestId && record.msg === 'request');
    expect(access).toMatchObject({ route: '/api/events', status: 200 });
    await reader.close();
    const closed = await push.logged((record) => record.request_id === requestId && record.msg === 'stream closed');
    expect(closed).toMatchObject({ reason: 'gone', duration_ms: expect.any(Number) });
    expect(push.sink.records.filter((record) => record.request_id === requestId && record.msg === 'request')).toHaveLength(1);
  });
});

describe('HEAD /api/events', () => {
  test('when the token is valid, then 200 at once with the event-stream headers and no body, and no stream is held', async () => {
    const before = push.app.kit.streams.size;
    const res = await request(push.url)
      .head('/api/events')
      .set(await bearer());
    expect({ status: res.status, type: res.headers['content-type'], cache: res.headers['cache-control'], body: res.text }).toEqual({
      status: 200,
      type: 'text/event-stream; charset=utf-8',
      cache: 'no-cache, no-transform',
      body: undefined,
    });
    expect(push.app.kit.streams.size).toBe(before);
  });

  test('when no token is sent, then 401 as for GET', async () => {
    const res = await request(push.url).head('/api/events');
    expect({ status: res.status, challenge: res.headers['www-authenticate'] }).toEqual({ status: 401, challenge: 'Bearer' });
  });
});
