import { register, SERVICE_KEY, startHarness, uniqueNickname, type Harness } from './harness';

const PATH = '/api/users/internal/credentials/verify';
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const error = (code: string, field?: string) => ({
  error: { code, message: expect.any(String), request_id: expect.any(String), ...(field === undefined ? {} : { field }) },
});

describe('POST /api/users/internal/credentials/verify', () => {
  test('when the key and the credentials are right, then 200 with id and nickname', async () => {
    const user = await register(harness, uniqueNickname('Erin'), 'erin password 1');

    const response = await harness.request
      .post(PATH)
      .set('X-Service-Key', SERVICE_KEY)
      .send({ nickname: user.nickname, password: 'erin password 1' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: user.id, nickname: user.nickname });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  test('when the nickname is given in another case or in fullwidth, then it still matches', async () => {
    const user = await register(harness, uniqueNickname('frank'), 'frank password 1');
    const fullwidth = [...user.nickname].map((c) => (/[a-z0-9]/i.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');

    const upper = await harness.request
      .post(PATH)
      .set('X-Service-Key', SERVICE_KEY)
      .send({ nickname: user.nickname.toUpperCase(), password: 'frank password 1' });
    const wide = await harness.request
      .post(PATH)
      .set('X-Service-Key', SERVICE_KEY)
      .send({ nickname: fullwidth, password: 'frank password 1' });

    expect([upper.status, wide.status]).toEqual([200, 200]);
    expect(upper.body).toEqual({ id: user.id, nickname: user.nickname });
  });

  test('when the password is wrong or the user unknown, then the same 401 invalid_credentials', async () => {
    const user = await register(harness, uniqueNickname('gina'), 'gina password 1');

    const wrong = await harness.request
      .post(PATH)
      .set('X-Service-Key', SERVICE_KEY)
      .send({ nickname: user.nickname, password: 'not her password' });
    const unknown = await harness.request
      .post(PATH)
      .set('X-Service-Key', SERVICE_KEY)
      .send({ nickname: uniqueNickname('nobody'), password: 'gina password 1' });
    const impossible = await harness.request
      .post(PATH)
      .set('X-Service-Key', SERVICE_KEY)
      .send({ nickname: 'x', password: 'gina password 1' });

    for (const response of [wrong, unknown, impossible]) {
      expect(response.status).toBe(401);
      expect(response.body).toEqual(error('invalid_credentials'));
    }
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });

  test('when there is no service key, then 401 unauthorized and the password is not checked', async () => {
    const user = await register(harness);

    const response = await harness.request.post(PATH).send({ nickname: user.nickname, password: 'correct horse battery' });

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^ServiceKey/);
    expect(response.body).toEqual(error('unauthorized'));
  });

  test.each([
    ['a wrong key', 'not-the-service-key-0123456789'],
    ['the key with a suffix', `${SERVICE_KEY}x`],
    ['a user token', 'Bearer abc.def.ghi'],
  ])('when the key is %s, then 401 unauthorized', async (_case, key) => {
    const user = await register(harness);

    const response = await harness.request
      .post(PATH)
      .set('X-Service-Key', key)
      .send({ nickname: user.nickname, password: 'correct horse battery' });

    expect(response.status).toBe(401);
    expect(response.body).toEqual(error('unauthorized'));
  });

  test('when the key is sent as a bearer token instead, then 401 unauthorized', async () => {
    const user = await register(harness);

    const response = await harness.request
      .post(PATH)
      .set('Authorization', `Bearer ${SERVICE_KEY}`)
      .send({ nickname: user.nickname, password: 'correct horse battery' });

    expect(response.status).toBe(401);
    expect(response.body).toEqual(error('unauthorized'));
  });

  test.each([
    ['the password is missing', { nickname: 'someone' }, 'password'],
    ['the nickname is a number', { nickname: 5, password: 'correct horse battery' }, 'nickname'],
    ['an unknown field is sent', { nickname: 'someone', password: 'correct horse battery', otp: '1' }, 'otp'],
  ])('when %s, then 400 with the field', async (_case, body, field) => {
    const response = await harness.request.post(PATH).set('X-Service-Key', SERVICE_KEY).send(body);

    expect(response.status).toBe(400);
    expect(response.body).toEqual(error('invalid_request', field));
  });

  test('when the app has no service key configured, then 503 service_unavailable', async () => {
    const keyless = await startHarness({ serviceKey: undefined });
    try {
      const response = await keyless.request
        .post(PATH)
        .set('X-Service-Key', SERVICE_KEY)
        .send({ nickname: 'someone', password: 'correct horse battery' });

      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toEqual(expect.stringMatching(/^\d+$/));
      expect(response.body).toEqual(error('service_unavailable'));
    } finally {
      await keyless.close();
    }
  });
});
