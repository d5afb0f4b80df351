import Redis from 'ioredis';
import { createEventBus, createLogger, createTokenVerifier, isTokenRevoked, type KitApp } from '@bundle/kit';
import {
  allocateTestDatabase,
  freePort,
  createTestTokens,
  logSink,
  TEST_AUDIENCE,
  TEST_ISSUER,
  type LogSink,
  type TestTokens,
} from '@bundle/kit/testing';
import { createMessagesApp } from '../../src/app';
import type { PostRate } from '../../src/domain/post-rate';
import type { Retention } from '../../src/store';

export const identity = { app: 'messages', version: '0.0.0-test', commit: 'test', space: 'test', instance: '0' };

export interface Harness {
  app: KitApp;
  tokens: TestTokens;
  /** One database stands for both bindings (messages-db and event-bus), as a shared Redis would. */
  redis: Redis;
  bus: ReturnType<typeof createEventBus>;
  logs: LogSink;
  close(): Promise<void>;
}

/** The app on a database of its own, with clients made like the kit's (no offline queue: fail fast). */
export async function startHarness(
  overrides: { messagesRedis?: Redis; busRedis?: Redis; postRate?: PostRate; retention?: Retention } = {},
): Promise<Harness> {
  const url = await allocateTestDatabase();
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  await redis.ping(); // connected before the first request, as a running app's client would be
  const tokens = await createTestTokens();
  const logs = logSink();
  const logger = createLogger(identity, 'info', logs.stream);
  const verify = createTokenVerifier({
    keys: tokens.keys,
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    isRevoked: (jti, kid) => isTokenRevoked(redis, jti, kid),
  });
  const app = createMessagesApp({
    identity,
    logger,
    messagesRedis: overrides.messagesRedis ?? redis,
    busRedis: overrides.busRedis ?? redis,
    verify,
    processMetrics: false,
    // Tests post many messages as one user; the rate limit has tests of its own.
    postRate: overrides.postRate ?? { limit: 10_000, windowSeconds: 60 },
    retention: overrides.retention,
  });
  return { app, tokens, redis, bus: createEventBus(redis), logs, close: async () => void (await redis.quit()) };
}

/**
 * A client for a port nothing listens on, set up as the kit's are (no offline queue: a
 * command fails at once, as while its Redis is down), but giving up after the first
 * attempt so no reconnect timer outlives the test.
 */
export async function deadRedis(name: string): Promise<Redis> {
  return new Redis({
    host: '127.0.0.1',
    port: await freePort(),
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    lazyConnect: true,
  });
}

/**
 * Closes a dead client once its single connection attempt is over. Never disconnect() an
 * ended client: ioredis would arm a 2 s timer on its closed socket that nothing clears.
 */
export async function dropRedis(client: Redis): Promise<void> {
  if (client.status === 'wait') return client.disconnect();
  if (client.status !== 'end') await new Promise((resolve) => client.once('end', resolve));
}

let users = 0;
/** A user of its own for each test (unique names, no cleanup between tests). */
export function newUser(prefix = 'user'): { id: string; nickname: string } {
  users += 1;
  return { id: `${prefix}-id-${users}-${process.pid}`, nickname: `${prefix}${users}` };
}
