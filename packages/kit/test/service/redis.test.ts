import { once } from 'node:events';
import { isTokenRevoked, revokeToken } from '../../src/auth/revocation';
import { createEventBus } from '../../src/bus';
import { createLogger } from '../../src/log';
import { createRedis, quitRedis, redisReadiness, type Redis } from '../../src/redis';
import { allocateTestDatabase } from '../../src/testing/test-redis';
import { freePort } from '../../src/testing/redis-server';
import { logSink } from '../../src/testing/log-sink';
import { identity } from '../support/app';

const sink = logSink();
const logger = createLogger(identity, 'debug', sink.stream);

describe('createRedis', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = createRedis({ url: await allocateTestDatabase(), logger, name: 'users-db' });
    await once(redis, 'ready');
  });
  afterAll(() => quitRedis(redis));

  test('when connected, then commands work and the connection carries the binding name', async () => {
    await redis.set('kit:test', 'v');
    expect(await redis.get('kit:test')).toBe('v');
    expect(await redis.client('GETNAME')).toBe('users-db');
  });

  test('when connected, then the readiness check passes', async () => {
    await expect(redisReadiness(redis)()).resolves.toBeUndefined();
  });

  test('when a token id is revoked, then it reads as revoked until the token would have expired', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 600;
    expect(await isTokenRevoked(redis, 'jti-1')).toBe(false);
    await revokeToken(redis, 'jti-1', expiresAt);
    expect(await isTokenRevoked(redis, 'jti-1')).toBe(true);
    const ttl = await redis.pttl('bus:revoked:jti-1');
    expect(ttl).toBeGreaterThan(500_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
  });

  test('when a token id is revoked, then token.revoked (jti, exp) is on the bus with the request id', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 600;
    const stream = `kit:test:bus:${Date.now()}`;
    await revokeToken(redis, 'jti-2', expiresAt, { stream, requestId: 'req-9' });
    expect(await createEventBus(redis, { stream }).after('0')).toEqual([
      {
        id: expect.any(String),
        name: 'token.revoked',
        time: expect.any(String),
        payload: { jti: 'jti-2', exp: expiresAt },
        request_id: 'req-9',
      },
    ]);
  });

  test('when a token has already expired, then its revocation still lives a moment', async () => {
    await revokeToken(redis, 'jti-old', 1);
    expect(await redis.pttl('bus:revoked:jti-old')).toBeGreaterThan(0);
  });
});

describe('createRedis against nothing', () => {
  test('when no Redis listens, then commands fail at once as unavailable and readiness fails', async () => {
    const client = createRedis({ url: `redis://127.0.0.1:${await freePort()}`, logger, name: 'nowhere' });
    await once(client, 'error');
    await expect(client.get('x')).rejects.toThrow(/enableOfflineQueue|Connection is closed|max retries/);
    await expect(redisReadiness(client)()).rejects.toThrow(/^not connected/);
    await expect(quitRedis(client)).resolves.toBeUndefined();
    expect(client.status).not.toBe('ready');
    expect(sink.records.filter((record) => record.redis === 'nowhere' && record.msg === 'redis unavailable, reconnecting')).toHaveLength(1);
  });

  test('when the URL is rediss://, then TLS is on with certificate checking as configured', async () => {
    const url = `rediss://127.0.0.1:${await freePort()}`;
    const checked = createRedis({ url, logger, name: 'tls' });
    const unchecked = createRedis({ url, logger, name: 'tls', tlsRejectUnauthorized: false });
    expect(checked.options.tls).toEqual({ rejectUnauthorized: true });
    expect(unchecked.options.tls).toEqual({ rejectUnauthorized: false });
    checked.disconnect();
    unchecked.disconnect();
  });
});
