import { createLogger, createRedis, quitRedis, type Redis } from '@bundle/kit';
import { allocateTestDatabase, closeTestRedis, freePort, startStubServer, type StubServer } from '@bundle/kit/testing';
import supertest from 'supertest';
import { createTokensApp } from '../../src/app';
import { loadTokenKeys } from '../../src/domain/keys';
import { createUsersClient } from '../../src/users-client';
import { AUDIENCE, basic, connectedRedis, identity, ISSUER, SERVICE_KEY } from './harness';

/** tokens-db points at a port nothing listens on; the event bus is up. */
let down: Redis;
let busRedis: Redis;
let users: StubServer;
let request: ReturnType<typeof supertest>;

beforeAll(async () => {
  const logger = createLogger(identity, 'silent');
  down = createRedis({ url: `redis://127.0.0.1:${await freePort()}`, logger, name: 'tokens-db' });
  busRedis = await connectedRedis(await allocateTestDatabase(), 'event-bus');
  users = await startStubServer();
  const app = createTokensApp({
    identity,
    logger,
    redis: down,
    busRedis,
    users: createUsersClient({ baseUrl: users.url, serviceKey: SERVICE_KEY, timeoutMs: 2000 }),
    keys: await loadTokenKeys({}, { production: false }),
    policy: { issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 3600 },
    limits: { maxFailuresPerNicknameAndAddress: 5, maxFailuresPerAddress: 20, windowSeconds: 900 },
    processMetrics: false,
  });
  request = supertest(app.callback());
});
afterAll(async () => {
  await Promise.all([quitRedis(down), quitRedis(busRedis), users.close()]);
  await closeTestRedis();
});

describe('POST /api/tokens', () => {
  test('when tokens-db is unreachable, then 503 with Retry-After and the users app is not asked', async () => {
    const response = await request.post('/api/tokens').set('Authorization', basic('someone', 'a password'));

    expect(response.status).toBe(503);
    expect(response.body).toEqual({ error: { code: 'service_unavailable', message: expect.any(String), request_id: expect.any(String) } });
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(users.requests).toEqual([]);
  });
});

describe('GET /ready', () => {
  test('when tokens-db is unreachable, then 503 naming it, while the JWKS is still served', async () => {
    const ready = await request.get('/ready');
    const jwks = await request.get('/.well-known/jwks.json');

    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'unavailable', failed: ['tokens-db'] });
    expect(jwks.status).toBe(200);
  });
});
