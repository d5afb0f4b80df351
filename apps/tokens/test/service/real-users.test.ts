import { createLogger, createTokenVerifier, isTokenRevoked, quitRedis, serve, type Redis, type Serving } from '@bundle/kit';
import { allocateTestDatabase, closeTestRedis } from '@bundle/kit/testing';
import { createLocalJWKSet } from 'jose';
import supertest from 'supertest';
import { createUsersApp } from '../../../users/src/app';
import { loadTokenKeys } from '../../src/domain/keys';
import { pairKey } from '../../src/store';
import { AUDIENCE, basic, connectedRedis, ISSUER, SERVICE_KEY, startHarness, uniqueNickname, type Harness } from './harness';

/**
 * The tokens app against a real users app listening on 127.0.0.1 (not a stub): the
 * contract of the internal credentials route as the users app actually implements it.
 * Both share one event bus, as they do when deployed.
 */
const usersIdentity = { app: 'users', version: '0.0.0-test', commit: 'test', space: 'test', instance: '0' };

let tokens: Harness;
let usersRedis: Redis;
let busRedis: Redis;
let users: Serving;
let usersRequest: ReturnType<typeof supertest>;

beforeAll(async () => {
  const busUrl = await allocateTestDatabase();
  const keys = await loadTokenKeys({}, { production: false });
  busRedis = await connectedRedis(busUrl, 'event-bus');
  usersRedis = await connectedRedis(await allocateTestDatabase(), 'users-db');
  const usersApp = createUsersApp({
    identity: usersIdentity,
    logger: createLogger(usersIdentity, 'silent'),
    redis: usersRedis,
    busRedis,
    // The users app checks tokens the way every app does: the tokens app's public keys and the revocation list.
    verifyToken: createTokenVerifier({
      keys: createLocalJWKSet(keys.jwks),
      issuer: ISSUER,
      audience: AUDIENCE,
      isRevoked: (jti, kid) => isTokenRevoked(busRedis, jti, kid),
    }),
    serviceKey: SERVICE_KEY,
    hashParams: { N: 1024, r: 8, p: 1 },
    // Every test here registers from one address; the limit is the users app's own tests' business.
    registrationLimit: { perAddress: 100_000, windowSeconds: 600 },
    processMetrics: false,
  });
  users = await serve(usersApp, { port: 0, host: '127.0.0.1', signals: [], exit: () => undefined });
  usersRequest = supertest(usersApp.callback());
  tokens = await startHarness({ busUrl, usersUrl: `http://127.0.0.1:${users.port}`, keys });
});
afterAll(async () => {
  await users.shutdown('test over');
  await Promise.all([tokens.close(), quitRedis(usersRedis), quitRedis(busRedis)]);
  await closeTestRedis();
});

async function register(nickname: string, password: string): Promise<{ id: string; nickname: string }> {
  const response = await usersRequest.post('/api/users').send({ nickname, password });
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; nickname: string };
}

describe('POST /api/tokens against the users app', () => {
  test('when a registered user logs in, then a token for that user, accepted by the users app', async () => {
    const user = await register(uniqueNickname('Dana'), 'correct horse battery');

    const login = await tokens.request.post('/api/tokens').set('Authorization', basic(user.nickname, 'correct horse battery'));

    expect(login.status).toBe(200);
    const me = await usersRequest.get('/api/users/me').set('Authorization', `Bearer ${login.body.access_token as string}`);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, nickname: user.nickname });
  });

  test('when the password is wrong, then 401 invalid_credentials and one failure counted', async () => {
    const user = await register(uniqueNickname(), 'correct horse battery');

    const response = await tokens.request
      .post('/api/tokens')
      .set('Authorization', basic(user.nickname, 'wrong horse battery'))
      .set('X-Forwarded-For', '192.0.2.44');

    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: { code: 'invalid_credentials', message: expect.any(String), request_id: expect.any(String) } });
    expect(await tokens.redis.get(pairKey(user.nickname, '192.0.2.44'))).toBe('1');
  });

  test('when the nickname is unknown or malformed, then 401 invalid_credentials', async () => {
    const unknown = await tokens.request.post('/api/tokens').set('Authorization', basic(uniqueNickname('nobody'), 'correct horse battery'));
    const malformed = await tokens.request.post('/api/tokens').set('Authorization', basic('a b', 'correct horse battery'));

    expect([unknown.status, unknown.body.error.code]).toEqual([401, 'invalid_credentials']);
    expect([malformed.status, malformed.body.error.code]).toEqual([401, 'invalid_credentials']);
  });

  test('when the service key is wrong, then 502: the caller is not blamed', async () => {
    const user = await register(uniqueNickname(), 'correct horse battery');
    const misconfigured = await startHarness({ usersUrl: `http://127.0.0.1:${users.port}`, serviceKey: 'not-the-service-key-0123456789' });
    try {
      const response = await misconfigured.request.post('/api/tokens').set('Authorization', basic(user.nickname, 'correct horse battery'));

      expect(response.status).toBe(502);
      expect(response.body.error.code).toBe('upstream_error');
    } finally {
      await misconfigured.close();
    }
  });

  test('when the token is revoked, then the users app refuses it', async () => {
    const user = await register(uniqueNickname(), 'correct horse battery');
    const login = await tokens.request.post('/api/tokens').set('Authorization', basic(user.nickname, 'correct horse battery'));
    const token = login.body.access_token as string;

    await tokens.request.delete('/api/tokens').set('Authorization', `Bearer ${token}`).expect(204);

    const me = await usersRequest.get('/api/users/me').set('Authorization', `Bearer ${token}`);
    expect(me.status).toBe(401);
    expect(me.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });
});
