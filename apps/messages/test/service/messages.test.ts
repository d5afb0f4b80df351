import { revokeToken } from '@bundle/kit';
import supertest from 'supertest';
import { newUser, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const ID = /^\d+-\d+$/;
const auth = async (user = newUser()) => ({ user, header: `Bearer ${await h.tokens.sign(user)}` });
const post = (header: string, body: unknown) =>
  supertest(h.app.callback())
    .post('/api/messages')
    .set('Authorization', header)
    .send(body as object);

describe('POST /api/messages', () => {
  test('when the text is valid, then 201 with the message and its Location', async () => {
    const { user, header } = await auth();

    const response = await post(header, { text: '  hello there  ' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(ID),
      text: 'hello there',
      author: { id: user.id, nickname: user.nickname },
      created_at: expect.any(String),
    });
    expect(response.headers.location).toBe(`/api/messages/${response.body.id}`);
    expect(Date.parse(response.body.created_at)).toBe(Number(response.body.id.split('-')[0]));
  });

  test('when the text is HTML, then it is stored and answered verbatim', async () => {
    const { header } = await auth();
    const text = '<img src=x onerror="alert(1)"> & <script>alert("x")</script>';

    const created = await post(header, { text });
    const fetched = await supertest(h.app.callback())
      .get(created.headers.location as string)
      .set('Authorization', header);

    expect([created.status, created.body.text]).toEqual([201, text]);
    expect([fetched.status, fetched.body]).toEqual([200, created.body]);
  });

  test('when stored, then message.created is on the bus with the message and the request id', async () => {
    const { header } = await auth();
    const before = await h.bus.lastId();
    const requestId = 'req-messages-test-0001-abcdef';

    const response = await post(header, { text: 'to the bus' }).set('X-Request-Id', requestId);

    const events = await h.bus.after(before);
    expect(events).toEqual([
      {
        id: expect.stringMatching(ID),
        name: 'message.created',
        time: expect.any(String),
        payload: response.body,
        request_id: requestId,
        traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/),
      },
    ]);
    expect(await h.redis.zcard('messages:outbox')).toBe(0);
  });

  test('when the text is only spaces, then 400 with field text and nothing stored', async () => {
    const { header } = await auth();
    const length = await h.redis.xlen('messages:log');

    const response = await post(header, { text: '      ' });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: { code: 'invalid_request', message: expect.any(String), request_id: response.headers['x-request-id'], field: 'text' },
    });
    expect(await h.redis.xlen('messages:log')).toBe(length);
  });

  test('when the text is 2001 characters, then 400 with field text', async () => {
    const { header } = await auth();
    const response = await post(header, { text: 'a'.repeat(2001) });
    expect([response.status, response.body.error.field]).toEqual([400, 'text']);
  });

  test('when the text is 2000 emoji, then 201: length is counted in code points', async () => {
    const { header } = await auth();
    const response = await post(header, { text: '🙂'.repeat(2000) });
    expect([response.status, [...response.body.text].length]).toEqual([201, 2000]);
  });

  test('when the text is not a string, then 400 with field text', async () => {
    const { header } = await auth();
    const response = await post(header, { text: ['x'] });
    expect([response.status, response.body.error.field]).toEqual([400, 'text']);
  });

  test('when the body is not JSON, then 415', async () => {
    const { header } = await auth();
    const response = await supertest(h.app.callback())
      .post('/api/messages')
      .set('Authorization', header)
      .set('Content-Type', 'text/plain')
      .send('hi');
    expect([response.status, response.body.error.code]).toEqual([415, 'unsupported_media_type']);
  });

  test('when there is no token, then 401 with WWW-Authenticate', async () => {
    const response = await supertest(h.app.callback()).post('/api/messages').send({ text: 'hi' });
    expect([response.status, response.body.error.code, response.headers['www-authenticate']]).toEqual([401, 'unauthorized', 'Bearer']);
  });

  test.each([
    ['without the Bearer scheme', (token: string) => token],
    ['as Basic', (token: string) => `Basic ${token}`],
    ['with its parts split by a space', (token: string) => `Bearer ${token.replace('.', '. ')}`],
  ])('when the token is sent %s, then 401 invalid_request', async (_name, format) => {
    const token = await h.tokens.sign(newUser());
    const response = await post(format(token), { text: 'hi' });
    expect([response.status, response.headers['www-authenticate']]).toEqual([401, 'Bearer error="invalid_request"']);
  });

  test.each([
    ['in lower case', (token: string) => `bearer ${token}`],
    ['with two spaces', (token: string) => `Bearer  ${token}`],
  ])(
    'when the token is sent %s, then it is taken: the scheme is case-insensitive and spaces may be several (RFC 9110 11.1, 11.4)',
    async (_name, format) => {
      const token = await h.tokens.sign(newUser());
      expect((await post(format(token), { text: 'hi' })).status).toBe(201);
    },
  );

  test('when the token has expired, then 401 invalid_token', async () => {
    const token = await h.tokens.sign(newUser(), { expiresInSeconds: -60 });
    const response = await post(`Bearer ${token}`, { text: 'hi' });
    expect([response.status, response.body.error.message, response.headers['www-authenticate']]).toEqual([
      401,
      'the token has expired',
      'Bearer error="invalid_token"',
    ]);
  });

  test('when the token has been revoked, then 401 invalid_token and nothing stored', async () => {
    const { header } = await auth();
    const [, payload] = header.split('.');
    const { jti, exp } = JSON.parse(Buffer.from(payload as string, 'base64url').toString()) as { jti: string; exp: number };
    await revokeToken(h.redis, jti, exp);
    const length = await h.redis.xlen('messages:log');

    const response = await post(header, { text: 'hi' });

    expect([response.status, response.body.error.message, response.headers['www-authenticate']]).toEqual([
      401,
      'the token has been revoked',
      'Bearer error="invalid_token"',
    ]);
    expect(await h.redis.xlen('messages:log')).toBe(length);
  });

  test('when the token is signed with another key, then 401', async () => {
    const { createTestTokens } = await import('@bundle/kit/testing');
    const other = await createTestTokens('test-key');
    const response = await post(`Bearer ${await other.sign(newUser())}`, { text: 'hi' });
    expect([response.status, response.headers['www-authenticate']]).toEqual([401, 'Bearer error="invalid_token"']);
  });
});

describe('GET /api/messages/:id', () => {
  test('when the id is unknown or not an id, then 404', async () => {
    const { header } = await auth();
    const unknown = await supertest(h.app.callback()).get('/api/messages/1-1').set('Authorization', header);
    const notAnId = await supertest(h.app.callback()).get('/api/messages/nope').set('Authorization', header);
    expect([unknown.status, unknown.body.error.code, notAnId.status]).toEqual([404, 'not_found', 404]);
  });

  test('when there is no token, then 401', async () => {
    const response = await supertest(h.app.callback()).get('/api/messages/1-1');
    expect(response.status).toBe(401);
  });
});

describe('operational routes', () => {
  test('when both bindings answer, then /ready is 200 naming them', async () => {
    const response = await supertest(h.app.callback()).get('/ready');
    expect([response.status, response.body]).toEqual([200, { status: 'ready', checks: { 'messages-db': 'ok', 'event-bus': 'ok' } }]);
  });

  test('when /health is asked without a token, then 200', async () => {
    const response = await supertest(h.app.callback()).get('/health');
    expect([response.status, response.body]).toEqual([200, { status: 'ok' }]);
  });

  test('when a method is not allowed, then 405', async () => {
    const { header } = await auth();
    const response = await supertest(h.app.callback()).delete('/api/messages').set('Authorization', header);
    expect([response.status, response.body.error.code]).toEqual([405, 'method_not_allowed']);
  });
});
