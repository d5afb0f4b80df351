import { once } from 'node:events';
import { createLogger, createRedis, createTokenVerifier, isTokenRevoked, quitRedis, type KitApp, type Redis } from '@bundle/kit';
import { allocateTestDatabase, createTestTokens, TEST_AUDIENCE, TEST_ISSUER, type TestTokens } from '@bundle/kit/testing';
import supertest from 'supertest';
import { createUsersApp, type UsersAppDeps } from '../../src/app';
import { createHashGate } from '../../src/domain/hash-gate';

/** Cheap scrypt for tests: the cost is checked in unit tests, behaviour here. */
export const TEST_HASH_PARAMS = { N: 1024, r: 8, p: 1 };
export const SERVICE_KEY = 'test-service-key-0123456789abcdef';

export interface Harness {
  app: KitApp;
  request: ReturnType<typeof supertest>;
  redis: Redis;
  busRedis: Redis;
  tokens: TestTokens;
  close(): Promise<void>;
}

const identity = { app: 'users', version: '0.0.0-test', commit: 'test', space: 'test', instance: '0' };

/** Connects a kit client (offline queue off, as in production) and waits until it is usable. */
export async function connectedRedis(url: string, name: string): Promise<Redis> {
  const client = createRedis({ url, logger: createLogger(identity, 'silent'), name });
  if (client.status !== 'ready') await once(client, 'ready');
  return client;
}

/** The users app on databases of its own, with a test signing key and the given overrides. */
export async function startHarness(overrides: Partial<UsersAppDeps> = {}): Promise<Harness> {
  const redis = await connectedRedis(await allocateTestDatabase(), 'users-db');
  const busRedis = await connectedRedis(await allocateTestDatabase(), 'event-bus');
  const tokens = await createTestTokens();
  const verifyToken = createTokenVerifier({
    keys: tokens.keys,
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    isRevoked: (jti, kid) => isTokenRevoked(busRedis, jti, kid),
  });
  const app = createUsersApp({
    identity,
    logger: createLogger(identity, 'silent'),
    redis,
    busRedis,
    verifyToken,
    serviceKey: SERVICE_KEY,
    hashParams: TEST_HASH_PARAMS,
    // Every test registers from the same address; the limit itself is tested with its own settings.
    registrationLimit: { perAddress: 100_000, windowSeconds: 600 },
    // Tests register in parallel batches; the gate's 503 is tested with its own settings.
    hashGate: createHashGate({ concurrency: 4, queueLimit: 1000, retryAfterSeconds: 1 }),
    processMetrics: false,
    ...overrides,
  });
  return {
    app,
    request: supertest(app.callback()),
    redis,
    busRedis,
    tokens,
    async close() {
      await Promise.all([quitRedis(redis), quitRedis(busRedis)]);
    },
  };
}

let counter = 0;
/** A nickname no other test in the file uses. */
export function uniqueNickname(prefix = 'user'): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`;
}

/** Registers a user through the API and returns its JSON. */
export async function register(
  harness: Harness,
  nickname = uniqueNickname(),
  password = 'correct horse battery',
): Promise<{ id: string; nickname: string; display_name: string; created_at: string }> {
  const response = await harness.request.post('/api/users').send({ nickname, password });
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; nickname: string; display_name: string; created_at: string };
}
