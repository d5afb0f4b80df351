import { randomUUID } from 'node:crypto';
import { retireSigningKey, revokeToken } from '@bundle/kit';
import { allocateTestDatabase, createTestTokens, type TestTokens } from '@bundle/kit/testing';
import request from 'supertest';
import { SseReader } from '../support/sse-reader';
import { startPush, type PushUnderTest } from '../support/harness';

/**
 * A stream lives no longer than its token: DELETE /api/tokens (the tokens app calls the
 * kit's revokeToken, which sets the revocation key and publishes token.revoked on the
 * bus) ends it on every push instance, and so does the token's exp.
 */
let tokens: TestTokens;
let first: PushUnderTest;
let second: PushUnderTest;
const user = () => ({ id: randomUUID(), nickname: `u${randomUUID().slice(0, 8)}` });
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { jti: string; exp: number };
const open = async (push: PushUnderTest, token: string): Promise<SseReader> => {
  const reader = await SseReader.open(`${push.url}/api/events`, { Authorization: `Bearer ${token}` });
  expect(reader.status).toBe(200);
  await reader.waitFor((item) => item.kind === 'retry');
  return reader;
};
const closedFor = (push: PushUnderTest, reader: SseReader) =>
  push.logged((record) => record.request_id === reader.headers['x-request-id'] && record.msg === 'stream closed');

beforeAll(async () => {
  tokens = await createTestTokens();
  const redisUrl = await allocateTestDatabase();
  [first, second] = await Promise.all([
    startPush({ redisUrl, tokens, expirySweepMs: 100 }),
    startPush({ redisUrl, tokens, expirySweepMs: 100 }),
  ]);
});
afterAll(async () => {
  await Promise.all([first.stop(), second.stop()]);
});

describe('an open event stream whose token is revoked', () => {
  test('when the token is revoked, then its streams end on every instance, and another token of the same user keeps its stream', async () => {
    const who = user();
    const token = await tokens.sign(who);
    const other = await tokens.sign(who);
    const [onFirst, onSecond, kept] = await Promise.all([open(first, token), open(second, token), open(first, other)]);
    const { jti, exp } = claimsOf(token);

    await revokeToken(first.redis, jti, exp);

    await Promise.all([onFirst.ended, onSecond.ended]);
    const ended = await first.logged((record) => record.msg === 'ended the streams of a revoked token');
    expect(ended).toMatchObject({ streams: 1 });
    // The other token's stream still gets events: its end has not come.
    const id = await first.bus.publish('user.created', { id: 'u-x', nickname: 'x', created_at: '' });
    await kept.waitFor((item) => item.id === id);
    await kept.close();
    await Promise.all([closedFor(first, onFirst), closedFor(second, onSecond)]);
  });

  test('when the revoked token opens a stream again, then 401 invalid_token', async () => {
    const token = await tokens.sign(user());
    const { jti, exp } = claimsOf(token);
    await revokeToken(first.redis, jti, exp);
    const res = await request(second.url).get('/api/events').set('Authorization', `Bearer ${token}`);
    expect({ status: res.status, message: res.body.error.message }).toEqual({ status: 401, message: 'the token has been revoked' });
  });
});

describe('an open event stream whose token expires', () => {
  test('when the token reaches its exp, then the stream ends', async () => {
    const reader = await open(first, await tokens.sign(user(), { expiresInSeconds: 2 }));
    const live = await open(first, await tokens.sign(user()));

    await reader.ended;

    // Ended by the server (the reader never closed it), and the long-lived one is still open.
    const id = await first.bus.publish('user.created', { id: 'u-y', nickname: 'y', created_at: '' });
    await live.waitFor((item) => item.id === id);
    expect(live.items.some((item) => item.id === id)).toBe(true);
    await live.close();
  });
});

// Issue 22 item 13: a retired signing key's tokens were accepted until the JWKS caches expired.
describe('open event streams whose signing key is retired', () => {
  let retiring: TestTokens;
  let one: PushUnderTest;
  let two: PushUnderTest;
  beforeAll(async () => {
    retiring = await createTestTokens('key-retiring');
    const redisUrl = await allocateTestDatabase();
    [one, two] = await Promise.all([startPush({ redisUrl, tokens: retiring }), startPush({ redisUrl, tokens: retiring })]);
  });
  afterAll(async () => {
    await Promise.all([one.stop(), two.stop()]);
  });

  test('when the key is retired, then every stream of its tokens ends on every instance, and a new stream with one gets 401', async () => {
    const [onOne, onTwo] = await Promise.all([open(one, await retiring.sign(user())), open(two, await retiring.sign(user()))]);

    await retireSigningKey(one.redis, 'key-retiring');

    await Promise.all([onOne.ended, onTwo.ended]);
    const lines = await Promise.all(
      [one, two].map((push) => push.logged((record) => record.msg === 'ended the streams of a retired signing key')),
    );
    expect(lines.map((line) => [line.kid, line.streams])).toEqual([
      ['key-retiring', 1],
      ['key-retiring', 1],
    ]);
    const res = await request(two.url)
      .get('/api/events')
      .set('Authorization', `Bearer ${await retiring.sign(user())}`);
    expect({ status: res.status, message: res.body.error.message }).toEqual({ status: 401, message: 'the token has been revoked' });
  });
});
