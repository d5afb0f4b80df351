import { createEventBus, createTokenVerifier, isTokenRevoked } from '@bundle/kit';
import { closeTestRedis, createTestTokens } from '@bundle/kit/testing';
import { createLocalJWKSet, type JWK } from 'jose';
import { AUDIENCE, ISSUER, logIn, startHarness, uniqueNickname, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
  await closeTestRedis();
});

const error = (code: string) => ({ error: { code, message: expect.any(String), request_id: expect.any(String) } });

/** The check every other app runs: the JWKS this app serves, plus the shared revocation list. */
async function otherAppVerifier() {
  const jwks = (await harness.request.get('/.well-known/jwks.json')).body as { keys: JWK[] };
  return createTokenVerifier({
    keys: createLocalJWKSet(jwks),
    issuer: ISSUER,
    audience: AUDIENCE,
    isRevoked: (jti, kid) => isTokenRevoked(harness.busRedis, jti, kid),
  });
}

describe('DELETE /api/tokens', () => {
  test('when the token is valid, then 204, and the same token is refused afterwards here and by any app', async () => {
    const nickname = uniqueNickname();
    const token = await logIn(harness, nickname);
    const verify = await otherAppVerifier();
    const caller = await verify(token);
    expect(caller).toEqual({
      id: `id-${nickname}`,
      nickname,
      jti: expect.any(String),
      exp: expect.any(Number),
      kid: expect.any(String),
      token,
    });

    const first = await harness.request.delete('/api/tokens').set('Authorization', `Bearer ${token}`);
    const second = await harness.request.delete('/api/tokens').set('Authorization', `Bearer ${token}`);

    expect(first.status).toBe(204);
    expect(first.text).toBe('');
    expect(second.status).toBe(401);
    expect(second.body).toEqual(error('unauthorized'));
    expect(second.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    await expect(isTokenRevoked(harness.busRedis, caller.jti)).resolves.toBe(true);
    await expect(verify(token)).rejects.toMatchObject({ status: 401, message: 'the token has been revoked' });
  });

  test('when the token is revoked, then token.revoked with its jti and exp is on the event bus, for push to end its streams', async () => {
    const token = await logIn(harness, uniqueNickname());
    const caller = await (await otherAppVerifier())(token);

    const response = await harness.request.delete('/api/tokens').set('Authorization', `Bearer ${token}`).expect(204);

    const events = await createEventBus(harness.busRedis).latest(100);
    expect(events.filter((event) => event.name === 'token.revoked' && event.payload.jti === caller.jti)).toEqual([
      {
        id: expect.any(String),
        name: 'token.revoked',
        time: expect.any(String),
        payload: { jti: caller.jti, exp: caller.exp },
        request_id: response.headers['x-request-id'],
        traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/),
      },
    ]);
  });

  test('when revoked, then the revocation expires with the token, not before', async () => {
    const token = await logIn(harness, uniqueNickname());
    const caller = await (await otherAppVerifier())(token);

    await harness.request.delete('/api/tokens').set('Authorization', `Bearer ${token}`).expect(204);

    const ttl = await harness.busRedis.pttl(`bus:revoked:${caller.jti}`);
    expect(ttl).toBeGreaterThan(3500 * 1000);
    expect(ttl).toBeLessThanOrEqual(3600 * 1000);
  });

  test('when one token is revoked, then another token of the same user still works', async () => {
    const nickname = uniqueNickname();
    const [kept, revoked] = await Promise.all([logIn(harness, nickname), logIn(harness, nickname)]);

    await harness.request.delete('/api/tokens').set('Authorization', `Bearer ${revoked}`).expect(204);

    const verify = await otherAppVerifier();
    await expect(verify(kept)).resolves.toMatchObject({ nickname });
    await harness.request.delete('/api/tokens').set('Authorization', `Bearer ${kept}`).expect(204);
  });

  test('when there is no token, then 401 with a Bearer challenge', async () => {
    const response = await harness.request.delete('/api/tokens');

    expect(response.status).toBe(401);
    expect(response.body).toEqual(error('unauthorized'));
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  test('when the token is in the wrong header format, then 401 invalid_request', async () => {
    const token = await logIn(harness, uniqueNickname());

    const response = await harness.request.delete('/api/tokens').set('Authorization', `Token ${token}`);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_request"');
  });

  test('when the token is signed by another key, then 401 invalid_token', async () => {
    const stranger = await createTestTokens(harness.keys.signing.kid);
    const forged = await stranger.sign({ id: 'id-x', nickname: 'x' }, { claims: { iss: ISSUER, aud: AUDIENCE } });

    const response = await harness.request.delete('/api/tokens').set('Authorization', `Bearer ${forged}`);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  test('when the token is unsigned (alg none), then 401 invalid_token', async () => {
    const token = await logIn(harness, uniqueNickname());
    const [, payload] = token.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', kid: harness.keys.signing.kid })).toString('base64url')}.${payload}.`;

    const response = await harness.request.delete('/api/tokens').set('Authorization', `Bearer ${unsigned}`);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });
});
