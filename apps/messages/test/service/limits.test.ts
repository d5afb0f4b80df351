import supertest from 'supertest';
import { newUser, startHarness, type Harness } from './helpers';

const harnesses: Harness[] = [];
afterAll(() => Promise.all(harnesses.map((h) => h.close())));
const harness = async (options: Parameters<typeof startHarness>[0]) => {
  const h = await startHarness(options);
  harnesses.push(h);
  return h;
};
const postAs = async (h: Harness, user: { id: string; nickname: string }, text: string) =>
  supertest(h.app.callback())
    .post('/api/messages')
    .set('Authorization', `Bearer ${await h.tokens.sign(user)}`)
    .send({ text });

describe('POST /api/messages: per-user rate', () => {
  test('when a user posts past the limit, then 429 too_many_requests with Retry-After, and another user still posts', async () => {
    const h = await harness({ postRate: { limit: 3, windowSeconds: 60 } });
    const flooder = newUser('flood');

    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await postAs(h, flooder, `m${i}`)).status);
    const refused = await postAs(h, flooder, 'one too many');
    const other = await postAs(h, newUser('calm'), 'hello');

    expect(statuses).toEqual([201, 201, 201]);
    expect([refused.status, refused.body.error.code, other.status]).toEqual([429, 'too_many_requests', 201]);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(await h.redis.xlen('messages:log')).toBe(4);
  });

  test('when the refused post has a malformed body, then still 429: the body is not read past the limit', async () => {
    const h = await harness({ postRate: { limit: 1, windowSeconds: 60 } });
    const user = newUser('rate');
    await postAs(h, user, 'first');

    const response = await supertest(h.app.callback())
      .post('/api/messages')
      .set('Authorization', `Bearer ${await h.tokens.sign(user)}`)
      .set('Content-Type', 'application/json')
      .send('{"text":');

    expect(response.status).toBe(429);
  });
});

describe('message log retention', () => {
  test('when a kept message is older than the retention, then the next post removes it', async () => {
    const h = await harness({ retention: { maxAgeMs: 24 * 3600 * 1000, maxLength: 1000 } });
    await h.redis.xadd('messages:log', '1000-0', 'text', 'from 1970', 'author_id', 'a', 'author_nickname', 'a', 'request_id', 'r');
    const header = `Bearer ${await h.tokens.sign(newUser())}`;

    const posted = await postAs(h, newUser(), 'today');
    const old = await supertest(h.app.callback()).get('/api/messages/1000-0').set('Authorization', header);
    const resumed = await supertest(h.app.callback()).get('/api/messages?after=999-0').set('Authorization', header);

    expect([posted.status, old.status, await h.redis.xlen('messages:log')]).toEqual([201, 404, 1]);
    expect([resumed.body.items.map((m: { id: string }) => m.id), resumed.body.trimmed]).toEqual([[posted.body.id], true]);
  });

  test('when the log is over its length, then the oldest go first', async () => {
    const h = await harness({ retention: { maxAgeMs: 24 * 3600 * 1000, maxLength: 3 } });
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push((await postAs(h, newUser(), `n${i}`)).body.id as string);

    const kept = (await h.redis.xrange('messages:log', '-', '+')).map(([id]) => id);

    expect(kept).toEqual(ids.slice(2));
  });

  test('when paging resumes from before the retained log, then it starts at the oldest kept and says trimmed', async () => {
    const h = await harness({ retention: { maxAgeMs: 24 * 3600 * 1000, maxLength: 2 } });
    const ids = [];
    for (let i = 0; i < 4; i += 1) ids.push((await postAs(h, newUser(), `p${i}`)).body.id as string);
    const header = `Bearer ${await h.tokens.sign(newUser())}`;
    const page = (after: string) => supertest(h.app.callback()).get(`/api/messages?after=${after}`).set('Authorization', header);

    const resumed = await page(ids[0] as string);
    const current = await page(ids[2] as string);
    const fromStart = await page('0-0');

    expect([resumed.body.items.map((m: { id: string }) => m.id), resumed.body.trimmed]).toEqual([ids.slice(2), true]);
    expect([current.body.items.map((m: { id: string }) => m.id), current.body.trimmed]).toEqual([ids.slice(3), undefined]);
    expect([fromStart.body.items.length, fromStart.body.trimmed]).toEqual([2, undefined]);
  });
});
