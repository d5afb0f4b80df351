import Router from '@koa/router';
import { createLocalJWKSet } from 'jose';
import supertest from 'supertest';
import { createEventBus } from '../../src/bus';
import { requireAuth } from '../../src/auth/middleware';
import { isTokenRevoked, retiredSigningKeys, retireSigningKey, toKeyRetired, TOKEN_KEY_RETIRED } from '../../src/auth/revocation';
import { createTokenVerifier } from '../../src/auth/verifier';
import { createLogger } from '../../src/log';
import { createRedis, quitRedis, type Redis } from '../../src/redis';
import { allocateTestDatabase } from '../../src/testing';
import { createTestTokens, TEST_AUDIENCE, TEST_ISSUER, type TestTokens } from '../../src/testing/test-tokens';
import { testApp } from '../support/app';

// Issue 22 item 13: a key removed from the JWKS stayed accepted for up to 10 minutes (the
// verifiers' JWKS cache). Retiring it now refuses its tokens at the next request.
let redis: Redis;
let old: TestTokens;
let current: TestTokens;
let request: ReturnType<typeof supertest>;
const user = { id: 'u-1', nickname: 'ann' };

beforeAll(async () => {
  redis = createRedis({
    url: await allocateTestDatabase(),
    logger: createLogger({ app: 'kit', instance: '0', version: 't' }, 'silent'),
    name: 'event-bus',
  });
  [old, current] = await Promise.all([createTestTokens('key-old'), createTestTokens('key-new')]);
  // Both keys are in the JWKS, as after a rotation, before the old one's tokens have expired.
  const keys = createLocalJWKSet({ keys: [...current.jwks.keys, ...old.jwks.keys] });
  const verify = createTokenVerifier({
    keys,
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    isRevoked: (jti, kid) => isTokenRevoked(redis, jti, kid),
  });
  const router = new Router();
  router.get('/api/me', requireAuth(verify), (ctx) => {
    ctx.body = { kid: ctx.state.caller?.kid };
  });
  request = supertest(testApp([router]).app.callback());
});
afterAll(() => quitRedis(redis));

describe('retiring a signing key', () => {
  test('when a key is retired, then the very next request with a token it signed gets 401, and tokens of the other key still pass', async () => {
    const [byOld, byNew] = await Promise.all([old.sign(user), current.sign(user)]);
    const before = await request.get('/api/me').set('Authorization', `Bearer ${byOld}`);
    expect(before.body).toEqual({ kid: 'key-old' });

    expect(await retireSigningKey(redis, 'key-old', { requestId: 'req-retire' })).toBe(true);

    const after = await request.get('/api/me').set('Authorization', `Bearer ${byOld}`);
    expect({ status: after.status, message: after.body.error.message, challenge: after.headers['www-authenticate'] }).toEqual({
      status: 401,
      message: 'the token has been revoked',
      challenge: 'Bearer error="invalid_token"',
    });
    const other = await request.get('/api/me').set('Authorization', `Bearer ${byNew}`);
    expect(other.body).toEqual({ kid: 'key-new' });
  });

  test('when a key is retired, then the bus says so once (token.key-retired with its kid), and retiring it again changes nothing', async () => {
    const bus = createEventBus(redis);
    const from = await bus.lastId();
    expect(await retireSigningKey(redis, 'key-gone')).toBe(true);
    expect(await retireSigningKey(redis, 'key-gone')).toBe(false);
    const events = (await bus.after(from)).filter((event) => event.name === TOKEN_KEY_RETIRED);
    expect(events.map((event) => toKeyRetired(event.payload))).toEqual(['key-gone', 'key-gone']);
    expect((await retiredSigningKeys(redis)).sort()).toEqual(['key-gone', 'key-old']);
  });

  test('when a token names no kid, then only the revocation list is read', async () => {
    expect(await isTokenRevoked(redis, 'no-such-jti')).toBe(false);
    expect(await isTokenRevoked(redis, 'no-such-jti', 'key-old')).toBe(true);
  });

  test('when a payload is not a key retirement, then toKeyRetired says so', () => {
    expect([toKeyRetired({ kid: 'k' }), toKeyRetired({ kid: '' }), toKeyRetired({ kid: 3 }), toKeyRetired({})]).toEqual([
      'k',
      undefined,
      undefined,
      undefined,
    ]);
  });
});
