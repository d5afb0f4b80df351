import { randomUUID } from 'node:crypto';
import { closeTestRedis } from '@bundle/kit/testing';
import {
  basic,
  startHarness,
  SERVICE_KEY,
  uniqueNickname,
  userFor,
  verifyWithJwks,
  VERIFY_ROUTE,
  ISSUER,
  AUDIENCE,
  type Harness,
} from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
  await closeTestRedis();
});

const error = (code: string) => ({ error: { code, message: expect.any(String), request_id: expect.any(String) } });
const BASIC_CHALLENGE = 'Basic realm="chat"';

/** Requests the users stub received for a nickname (tests share one stub). */
const callsFor = (nickname: string) =>
  harness.users.requests.filter((request) => (request.body as { nickname?: string } | undefined)?.nickname === nickname);

describe('POST /api/tokens', () => {
  test('when the credentials are right, then 200 with a Bearer token carrying every claim', async () => {
    const nickname = uniqueNickname('Alice');
    const before = Math.floor(Date.now() / 1000);

    const response = await harness.request.post('/api/tokens').set('Authorization', basic(nickname, 'correct horse battery'));

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    expect(response.headers['cache-control']).toBe('no-store');
    const { payload, protectedHeader } = await verifyWithJwks(harness, response.body.access_token as string);
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: harness.keys.signing.kid, typ: 'JWT' });
    expect(payload).toEqual({
      sub: userFor(nickname).id,
      nickname,
      iat: expect.any(Number),
      exp: (payload.iat ?? 0) + 3600,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iss: ISSUER,
      aud: AUDIENCE,
    });
    expect(payload.iat).toBeGreaterThanOrEqual(before);
  });

  test('when two logins succeed, then each token has its own jti', async () => {
    const nickname = uniqueNickname();
    const tokens = await Promise.all(
      [1, 2].map(() => harness.request.post('/api/tokens').set('Authorization', basic(nickname, 'pw-12345678'))),
    );
    const jtis = await Promise.all(
      tokens.map(async (response) => (await verifyWithJwks(harness, response.body.access_token as string)).payload.jti),
    );
    expect(new Set(jtis).size).toBe(2);
  });

  test('when logging in, then the users app gets the credentials, the service key and the request id', async () => {
    const nickname = uniqueNickname('Bob');
    const requestId = `request-${randomUUID()}`;

    const response = await harness.request
      .post('/api/tokens')
      .set('Authorization', basic(nickname, 'pass:with:colons'))
      .set('X-Request-Id', requestId);

    expect(response.status).toBe(200);
    expect(response.headers['x-request-id']).toBe(requestId);
    const [call] = callsFor(nickname);
    expect(call).toMatchObject({
      method: 'POST',
      path: '/api/users/internal/credentials/verify',
      body: { nickname, password: 'pass:with:colons' },
      headers: expect.objectContaining({ 'x-service-key': SERVICE_KEY, 'x-request-id': requestId, 'content-type': 'application/json' }),
    });
    expect(call?.headers.authorization).toBeUndefined();
  });

  test('when the request has a JSON body, then it is ignored and the Basic credentials are used', async () => {
    const nickname = uniqueNickname();

    const response = await harness.request
      .post('/api/tokens')
      .set('Authorization', basic(nickname, 'from-header'))
      .send({ nickname: 'someone_else', password: 'from-body' });

    expect(response.status).toBe(200);
    expect(callsFor(nickname).map((call) => call.body)).toEqual([{ nickname, password: 'from-header' }]);
    expect(callsFor('someone_else')).toEqual([]);
  });

  test('when the nickname and password are not ASCII, then they reach the users app as UTF-8', async () => {
    const nickname = uniqueNickname('Zoë');

    const response = await harness.request.post('/api/tokens').set('Authorization', basic(nickname, 'pässwörd ✓'));

    expect(response.status).toBe(200);
    expect(callsFor(nickname).map((call) => call.body)).toEqual([{ nickname, password: 'pässwörd ✓' }]);
  });

  test('when there is no Authorization header, then 401 with a Basic challenge and no call to users', async () => {
    const calls = harness.users.requests.length;

    const response = await harness.request.post('/api/tokens');

    expect(response.status).toBe(401);
    expect(response.body).toEqual(error('unauthorized'));
    expect(response.headers['www-authenticate']).toBe(BASIC_CHALLENGE);
    expect(harness.users.requests.length).toBe(calls);
  });

  test.each([
    ['a Bearer token', 'Bearer abc.def.ghi'],
    ['Basic without credentials', 'Basic'],
    ['Basic with characters outside base64', 'Basic !!!notbase64'],
    ['no colon', `Basic ${Buffer.from('sentinel-nick').toString('base64')}`],
    ['an empty nickname', `Basic ${Buffer.from(':sentinel-pw').toString('base64')}`],
    ['an empty password', `Basic ${Buffer.from('sentinel-nick:').toString('base64')}`],
    ['a 10 kB nickname', `Basic ${Buffer.from(`${'n'.repeat(10_000)}:sentinel-pw`).toString('base64')}`],
    [
      'bytes that are not UTF-8',
      `Basic ${Buffer.concat([Buffer.from('nick'), Buffer.from([0xff, 0xfe]), Buffer.from(':sentinel-pw')]).toString('base64')}`,
    ],
  ])('when the header has %s, then 401 with a Basic challenge and no call to users', async (_case, header) => {
    const calls = harness.users.requests.length;

    const response = await harness.request.post('/api/tokens').set('Authorization', header);

    expect(response.status).toBe(401);
    expect(response.body).toEqual(error('unauthorized'));
    expect(response.headers['www-authenticate']).toBe(BASIC_CHALLENGE);
    expect(JSON.stringify(response.body)).not.toContain('sentinel');
    expect(harness.users.requests.length).toBe(calls);
  });
});

describe('POST /api/tokens when the users app says no or fails', () => {
  afterEach(() => {
    harness.users.on(VERIFY_ROUTE, (request) => ({ body: userFor((request.body as { nickname: string }).nickname) }));
  });

  test('when users answers 401 invalid_credentials, then 401 invalid_credentials with a Basic challenge', async () => {
    harness.users.on(VERIFY_ROUTE, () => ({ status: 401, body: { error: { code: 'invalid_credentials', message: 'no' } } }));

    const response = await harness.request.post('/api/tokens').set('Authorization', basic(uniqueNickname(), 'wrong password'));

    expect(response.status).toBe(401);
    expect(response.body).toEqual(error('invalid_credentials'));
    expect(response.headers['www-authenticate']).toBe(BASIC_CHALLENGE);
  });

  test('when users answers 400 (a nickname it cannot hold), then 401 invalid_credentials', async () => {
    harness.users.on(VERIFY_ROUTE, () => ({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'bad nickname', field: 'nickname' } },
    }));

    const response = await harness.request.post('/api/tokens').set('Authorization', basic('x', 'wrong password'));

    expect(response.status).toBe(401);
    expect(response.body).toEqual(error('invalid_credentials'));
  });

  test("when users refuses the service key, then 502 upstream_error, not the caller's fault", async () => {
    harness.users.on(VERIFY_ROUTE, () => ({
      status: 401,
      body: { error: { code: 'unauthorized', message: 'service credentials required' } },
    }));

    const response = await harness.request.post('/api/tokens').set('Authorization', basic(uniqueNickname(), 'pw-12345678'));

    expect(response.status).toBe(502);
    expect(response.body).toEqual(error('upstream_error'));
  });

  test('when users answers 500, then 502 upstream_error', async () => {
    harness.users.on(VERIFY_ROUTE, () => ({ status: 500, body: { error: { code: 'internal' } } }));

    const response = await harness.request.post('/api/tokens').set('Authorization', basic(uniqueNickname(), 'pw-12345678'));

    expect(response.status).toBe(502);
    expect(response.body).toEqual(error('upstream_error'));
  });

  test('when users answers 200 without a user, then 502 and no token', async () => {
    harness.users.on(VERIFY_ROUTE, () => ({ status: 200, body: { ok: true } }));

    const response = await harness.request.post('/api/tokens').set('Authorization', basic(uniqueNickname(), 'pw-12345678'));

    expect(response.status).toBe(502);
    expect(response.body).toEqual(error('upstream_error'));
  });
});

describe('POST /api/tokens when the users app cannot be reached', () => {
  test('when users never answers, then 504 upstream_timeout', async () => {
    const slow = await startHarness({ usersTimeoutMs: 200 });
    slow.users.on(VERIFY_ROUTE, () => ({ hang: true }));
    try {
      const response = await slow.request.post('/api/tokens').set('Authorization', basic(uniqueNickname(), 'pw-12345678'));

      expect(response.status).toBe(504);
      expect(response.body).toEqual(error('upstream_timeout'));
      expect(slow.users.requests).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  test('when nothing listens at USERS_URL, then 503 upstream_unavailable', async () => {
    const closed = await startHarness();
    await closed.users.close();
    const down = await startHarness({ usersUrl: closed.users.url, redisUrl: closed.redisUrl, busUrl: closed.busUrl });
    try {
      const response = await down.request.post('/api/tokens').set('Authorization', basic(uniqueNickname(), 'pw-12345678'));

      expect(response.status).toBe(503);
      expect(response.body).toEqual(error('upstream_unavailable'));
      expect(response.headers['retry-after']).toBe('1');
    } finally {
      await Promise.all([closed.close(), down.close()]);
    }
  });

  test('when no service key is configured, then 503 without a call', async () => {
    const unconfigured = await startHarness({ serviceKey: undefined });
    try {
      const response = await unconfigured.request.post('/api/tokens').set('Authorization', basic(uniqueNickname(), 'pw-12345678'));

      expect(response.status).toBe(503);
      expect(response.body).toEqual(error('service_unavailable'));
      expect(response.headers['retry-after']).toBe('60');
      expect(unconfigured.users.requests).toEqual([]);
    } finally {
      await unconfigured.close();
    }
  });
});
