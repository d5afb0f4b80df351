import supertest from 'supertest';
import { newUser, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const auth = async () => `Bearer ${await h.tokens.sign(newUser('input'))}`;

describe('GET /api/messages/:id', () => {
  test.each(['99999999999999999999-1', '1-18446744073709551616'])(
    'when the id %s is past 64 bits, then 404 not_found (no Redis error)',
    async (id) => {
      const response = await supertest(h.app.callback())
        .get(`/api/messages/${id}`)
        .set('Authorization', await auth());
      expect([response.status, response.body]).toEqual([
        404,
        { error: { code: 'not_found', message: `no message ${id}`, request_id: response.headers['x-request-id'] } },
      ]);
    },
  );
});

describe('POST /api/messages bodies', () => {
  test('when Content-Encoding says gzip but the body is not, then 400 invalid_request', async () => {
    const response = await supertest(h.app.callback())
      .post('/api/messages')
      .set('Authorization', await auth())
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{"text":"hello"}');
    expect([response.status, response.body.error.code]).toEqual([400, 'invalid_request']);
  });

  test('when there is no token and the body is malformed, then 401: the body is not parsed for a stranger', async () => {
    const response = await supertest(h.app.callback()).post('/api/messages').set('Content-Type', 'application/json').send('{"text":');
    expect([response.status, response.body.error.code]).toEqual([401, 'unauthorized']);
  });

  test('when the body is over 16 kB, then 413 payload_too_large', async () => {
    const response = await supertest(h.app.callback())
      .post('/api/messages')
      .set('Authorization', await auth())
      .send({ text: 'x'.repeat(17_000) });
    expect([response.status, response.body.error.code]).toEqual([413, 'payload_too_large']);
  });
});
