import supertest from 'supertest';
import { newUser, startHarness, type Harness } from './helpers';

let h: Harness;
let header: string;
const posted: string[] = [];

// One log of 120 messages for the whole file, made once; each test only reads it.
beforeAll(async () => {
  h = await startHarness();
  header = `Bearer ${await h.tokens.sign(newUser())}`;
  for (let i = 0; i < 120; i += 1) {
    const response = await supertest(h.app.callback())
      .post('/api/messages')
      .set('Authorization', header)
      .send({ text: `message ${i}` });
    posted.push(response.body.id as string);
  }
});
afterAll(() => h.close());

const get = (query: string) => supertest(h.app.callback()).get(`/api/messages${query}`).set('Authorization', header);

describe('GET /api/messages', () => {
  test('when paging forward from the start 50 at a time, then every message comes once, in order', async () => {
    const seen: string[] = [];
    const pages: number[] = [];
    let after = '0-0';
    for (let page = 0; page < 10; page += 1) {
      const response = await get(`?after=${after}&limit=50`);
      expect(response.status).toBe(200);
      pages.push(response.body.items.length);
      if (response.body.next === null) break;
      seen.push(...response.body.items.map((item: { id: string }) => item.id));
      after = response.body.next;
    }
    expect(pages).toEqual([50, 50, 20, 0]);
    expect(seen).toEqual(posted);
  });

  test('when no after is given, then the newest page, oldest first, next the newest id', async () => {
    const response = await get('?limit=3');
    expect(response.body.items.map((item: { text: string }) => item.text)).toEqual(['message 117', 'message 118', 'message 119']);
    expect(response.body.next).toBe(posted[119]);
  });

  test('when nothing is after the given id, then an empty page with next null', async () => {
    const response = await get(`?after=${posted[119]}`);
    expect([response.status, response.body]).toEqual([200, { items: [], next: null }]);
  });

  test('when after is the largest possible id, then an empty page', async () => {
    const response = await get('?after=18446744073709551615-18446744073709551615');
    expect([response.status, response.body]).toEqual([200, { items: [], next: null }]);
  });

  test('when no limit is given, then 50 items', async () => {
    const response = await get('');
    expect(response.body.items).toHaveLength(50);
    expect(response.body.items[0]).toEqual({
      id: posted[70],
      text: 'message 70',
      author: { id: expect.any(String), nickname: expect.any(String) },
      created_at: expect.any(String),
    });
  });

  test('when limit=100000 and more than 200 messages exist, then 200 items', async () => {
    const other = await startHarness();
    try {
      const otherHeader = `Bearer ${await other.tokens.sign(newUser())}`;
      for (let i = 0; i < 201; i += 1)
        await supertest(other.app.callback())
          .post('/api/messages')
          .set('Authorization', otherHeader)
          .send({ text: `m${i}` });

      const response = await supertest(other.app.callback()).get('/api/messages?limit=100000').set('Authorization', otherHeader);

      expect([response.status, response.body.items.length, response.body.items[0].text]).toEqual([200, 200, 'm1']);
    } finally {
      await other.close();
    }
  });

  test('when limit=0, then it is clamped to 1', async () => {
    const response = await get('?after=0-0&limit=0');
    expect(response.body.items.map((item: { id: string }) => item.id)).toEqual([posted[0]]);
  });

  test('when limit is not a whole number, then 400 with field limit', async () => {
    const response = await get('?limit=abc');
    expect([response.status, response.body.error.code, response.body.error.field]).toEqual([400, 'invalid_request', 'limit']);
  });

  test.each(['abc', '123', '1-2-3', '-1-0'])('when after=%s, then 400 with field after', async (after) => {
    const response = await get(`?after=${encodeURIComponent(after)}`);
    expect([response.status, response.body.error.field]).toEqual([400, 'after']);
  });

  test('when there is no token, then 401', async () => {
    const response = await supertest(h.app.callback()).get('/api/messages');
    expect([response.status, response.headers['www-authenticate']]).toEqual([401, 'Bearer']);
  });
});
