import { createHmac } from 'node:crypto';
import Router from '@koa/router';
import { generateKeyPair, SignJWT } from 'jose';
import supertest from 'supertest';
import { requireAuth } from '../../src/auth/middleware';
import { createTokenVerifier, type TokenVerifier } from '../../src/auth/verifier';
import { freePort } from '../../src/testing/redis-server';
import { startStubServer } from '../../src/testing/stub-server';
import { createTestTokens, TEST_AUDIENCE, TEST_ISSUER, type TestTokens } from '../../src/testing/test-tokens';
import { testApp } from '../support/app';

const user = { id: 'u-1', nickname: 'ann' };
const b64 = (value: object | string): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function claims(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { sub: user.id, nickname: user.nickname, iss: TEST_ISSUER, aud: TEST_AUDIENCE, iat: now, exp: now + 600, jti: 'forged' };
}

function appWith(verify: TokenVerifier) {
  const router = new Router();
  const me = (ctx: { state: { caller?: unknown }; body: unknown }): void => {
    const { token: _token, ...caller } = ctx.state.caller as Record<string, unknown>;
    ctx.body = caller;
  };
  router.get('/api/me', requireAuth(verify), me);
  return supertest(testApp([router]).app.callback());
}

describe('requireAuth with createTokenVerifier', () => {
  let tokens: TestTokens;
  let request: ReturnType<typeof appWith>;
  const revoked = new Set<string>();

  beforeAll(async () => {
    tokens = await createTestTokens();
    request = appWith(
      createTokenVerifier({ keys: tokens.keys, issuer: TEST_ISSUER, audience: TEST_AUDIENCE, isRevoked: async (jti) => revoked.has(jti) }),
    );
  });

  async function rejected(token: string, message: string): Promise<void> {
    const response = await request.get('/api/me').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(response.body.error).toEqual({ code: 'unauthorized', message, request_id: response.headers['x-request-id'] });
  }

  test('when the token is valid, then the caller is on ctx.state', async () => {
    const response = await request.get('/api/me').set('Authorization', `Bearer ${await tokens.sign(user)}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: 'u-1', nickname: 'ann', jti: expect.any(String), exp: expect.any(Number), kid: 'test-key' });
  });

  test('when the token has expired, then 401', async () => {
    await rejected(await tokens.sign(user, { expiresInSeconds: -60 }), 'the token has expired');
  });

  test('when the audience or the issuer differs, then 401 naming the claim', async () => {
    const token = await tokens.sign(user);
    for (const [options, claim] of [
      [{ audience: 'other', issuer: TEST_ISSUER }, 'aud'],
      [{ audience: TEST_AUDIENCE, issuer: 'urn:other' }, 'iss'],
    ] as const) {
      const other = appWith(createTokenVerifier({ keys: tokens.keys, ...options }));
      const response = await other.get('/api/me').set('Authorization', `Bearer ${token}`);
      expect(response.status).toBe(401);
      expect(response.body.error.message).toBe(`the token's ${claim} claim is not accepted`);
    }
  });

  test('when the token is unsigned (alg none), then 401', async () => {
    await rejected(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`, 'the token is signed with an algorithm that is not accepted');
  });

  test('when the token is HS256 signed with some secret, then 401', async () => {
    const unsigned = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'test-key' })}.${b64(claims())}`;
    const signature = createHmac('sha256', 'some-secret').update(unsigned).digest('base64url');
    await rejected(`${unsigned}.${signature}`, 'the token is signed with an algorithm that is not accepted');
  });

  test('when another key signs it under the same kid, then 401', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid: 'test-key' }).sign(privateKey);
    await rejected(forged, 'the token is not valid');
  });

  test('when the kid is unknown, then 401', async () => {
    await rejected(await tokens.sign(user, { kid: 'rotated-away' }), 'the token is signed with an unknown key');
  });

  test('when the nickname claim is missing, then 401', async () => {
    await rejected(await tokens.sign(user, { claims: { nickname: 7 } }), 'the token lacks sub, jti, exp or nickname');
  });

  test('when the token id is revoked, then 401', async () => {
    const token = await tokens.sign(user);
    const [, payload = ''] = token.split('.');
    revoked.add((JSON.parse(Buffer.from(payload, 'base64url').toString()) as { jti: string }).jti);
    await rejected(token, 'the token has been revoked');
  });

  test.each(['Token x', 'Bearer', 'Basic YTpi'])('when the header is %j, then 401 with WWW-Authenticate', async (header) => {
    const response = await request.get('/api/me').set('Authorization', header);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_request"');
    expect(response.body.error.code).toBe('unauthorized');
  });

  test.each(['bearer', 'BEARER', 'Bearer  '])(
    'when the scheme is written %j (schemes are case-insensitive, RFC 9110 11.1), then the token is taken',
    async (scheme) => {
      const response = await request.get('/api/me').set('Authorization', `${scheme} ${await tokens.sign(user)}`);
      expect(response.status).toBe(200);
    },
  );

  test('when no token is sent, then 401 with a Bearer challenge', async () => {
    const response = await request.get('/api/me');
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  test('when a valid token comes in the query, then 400 token_in_url in JSON, even beside a valid header', async () => {
    const token = await tokens.sign(user);
    const alone = await request.get(`/api/me?access_token=${token}`);
    const beside = await request.get(`/api/me?access_token=${token}`).set('Authorization', `Bearer ${token}`);
    for (const response of [alone, beside]) {
      expect({ status: response.status, code: response.body.error.code, field: response.body.error.field }).toEqual({
        status: 400,
        code: 'token_in_url',
        field: 'access_token',
      });
      expect(response.body.error.request_id).toEqual(expect.any(String));
      expect(response.text).not.toContain(token);
    }
  });

  test('when the token is only in a cookie, then 401', async () => {
    await request
      .get('/api/me')
      .set('Cookie', `access_token=${await tokens.sign(user)}`)
      .expect(401);
  });
});

describe('createTokenVerifier with a JWKS URL', () => {
  test('when the JWKS is served, then tokens verify against it', async () => {
    const tokens = await createTestTokens();
    const stub = await startStubServer({ 'GET /.well-known/jwks.json': () => ({ body: tokens.jwks }) });
    const verify = createTokenVerifier({ jwksUrl: `${stub.url}/.well-known/jwks.json`, issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
    await expect(verify(await tokens.sign(user))).resolves.toMatchObject({ id: 'u-1', nickname: 'ann' });
    await stub.close();
  });

  test("when the JWKS cannot be fetched, then 503, not the caller's fault", async () => {
    const tokens = await createTestTokens();
    const verify = createTokenVerifier({
      jwksUrl: `http://127.0.0.1:${await freePort()}/jwks`,
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
    });
    await expect(verify(await tokens.sign(user))).rejects.toMatchObject({ status: 503, code: 'service_unavailable' });
  });
});
