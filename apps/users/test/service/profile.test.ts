import { randomUUID } from 'node:crypto';
import { revokeToken } from '@bundle/kit';
import { createTestTokens } from '@bundle/kit/testing';
import { register, startHarness, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const error = (code: string, field?: string) => ({
  error: { code, message: expect.any(String), request_id: expect.any(String), ...(field === undefined ? {} : { field }) },
});

async function signedIn(): Promise<{ user: Awaited<ReturnType<typeof register>>; token: string }> {
  const user = await register(harness);
  return { user, token: await harness.tokens.sign(user) };
}

describe('PATCH /api/users/me', () => {
  test('when the display_name is valid, then 200 with the user, trimmed, and it is kept', async () => {
    const { user, token } = await signedIn();

    const response = await harness.request
      .patch('/api/users/me')
      .set('Authorization', `Bearer ${token}`)
      .send({ display_name: '  Dee Dee  ' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ...user, display_name: 'Dee Dee' });
    expect((await harness.request.get(`/api/users/${user.id}`)).body).toEqual({ ...user, display_name: 'Dee Dee' });
  });

  test('when the display_name is 64 characters of emoji, then 200 (characters, not bytes, are counted)', async () => {
    const { token } = await signedIn();

    const response = await harness.request
      .patch('/api/users/me')
      .set('Authorization', `Bearer ${token}`)
      .send({ display_name: '😀'.repeat(64) });

    expect(response.status).toBe(200);
    expect(response.body.display_name).toBe('😀'.repeat(64));
  });

  const invalid: Array<[string, unknown, string]> = [
    ['the display_name is only spaces', { display_name: '    ' }, 'display_name'],
    ['the display_name is 65 characters', { display_name: 'x'.repeat(65) }, 'display_name'],
    ['the display_name is a number', { display_name: 7 }, 'display_name'],
    ['the display_name is missing', {}, 'display_name'],
    ['an unknown field is sent', { display_name: 'ok', nickname: 'renamed' }, 'nickname'],
    ['the body is an array', ['ok'], 'body'],
  ];
  test.each(invalid)('when %s, then 400 with the field and the profile is unchanged', async (_case, body, field) => {
    const { user, token } = await signedIn();

    const response = await harness.request
      .patch('/api/users/me')
      .set('Authorization', `Bearer ${token}`)
      .send(body as object);

    expect(response.status).toBe(400);
    expect(response.body).toEqual(error('invalid_request', field));
    expect((await harness.request.get(`/api/users/${user.id}`)).body).toEqual(user);
  });

  test('when there is no Authorization header, then 401 with a Bearer challenge', async () => {
    const response = await harness.request.patch('/api/users/me').send({ display_name: 'x' });

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.body).toEqual(error('unauthorized'));
  });

  test.each([['Token abc'], ['Bearer'], ['Basic dXNlcjpwYXNz'], ['Bearer a b']])(
    'when the header is "%s", then 401 invalid_request challenge',
    async (header) => {
      const response = await harness.request.patch('/api/users/me').set('Authorization', header).send({ display_name: 'x' });

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_request"');
      expect(response.body).toEqual(error('unauthorized'));
    },
  );

  test('when the token has expired, then 401 invalid_token', async () => {
    const user = await register(harness);
    const token = await harness.tokens.sign(user, { expiresInSeconds: -60 });

    const response = await harness.request.patch('/api/users/me').set('Authorization', `Bearer ${token}`).send({ display_name: 'x' });

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(response.body).toEqual(error('unauthorized'));
  });

  test('when the token has been revoked, then 401 invalid_token and the profile is unchanged', async () => {
    const { user, token } = await signedIn();
    const { jti, exp } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { jti: string; exp: number };
    await revokeToken(harness.busRedis, jti, exp);

    const response = await harness.request.patch('/api/users/me').set('Authorization', `Bearer ${token}`).send({ display_name: 'x' });

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect((await harness.request.get(`/api/users/${user.id}`)).body).toEqual(user);
  });

  test('when the token is signed by another key, then 401', async () => {
    const user = await register(harness);
    const token = await (await createTestTokens()).sign(user);

    const response = await harness.request.patch('/api/users/me').set('Authorization', `Bearer ${token}`).send({ display_name: 'x' });

    expect(response.status).toBe(401);
    expect(response.body).toEqual(error('unauthorized'));
  });

  test('when the token names an account that does not exist, then 404 and nothing is created', async () => {
    const id = randomUUID();
    const token = await harness.tokens.sign({ id, nickname: 'ghost' });

    const response = await harness.request.patch('/api/users/me').set('Authorization', `Bearer ${token}`).send({ display_name: 'Ghost' });

    expect(response.status).toBe(404);
    expect(response.body).toEqual(error('not_found'));
    expect(await harness.redis.exists(`users:user:${id}`)).toBe(0);
  });
});

describe('GET /api/users/me', () => {
  test('when signed in, then 200 with the caller', async () => {
    const { user, token } = await signedIn();

    const response = await harness.request.get('/api/users/me').set('Authorization', `Bearer ${token}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(user);
  });

  test('when not signed in, then 401', async () => {
    const response = await harness.request.get('/api/users/me');

    expect(response.status).toBe(401);
    expect(response.body).toEqual(error('unauthorized'));
  });
});
