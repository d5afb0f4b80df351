import { postgresRunDir } from './test-postgres';
import { startRedisServer } from './redis-server';

/** Databases handed out to test files, one each (see testRedis). */
export const TEST_DATABASES = 512;

/**
 * Starts one redis-server on a free port for the whole run, unless REDIS_TEST_URL names
 * one. Workers inherit REDIS_TEST_URL from this process's environment. PostgreSQL is only
 * given its folder (POSTGRES_TEST_DIR): the first test file that needs it starts it there.
 */
export default async function globalSetup(): Promise<void> {
  postgresRunDir();
  if (process.env.REDIS_TEST_URL) return;
  const server = await startRedisServer({ databases: TEST_DATABASES });
  process.env.REDIS_TEST_URL = server.url;
  (globalThis as { __redisTestServer__?: unknown }).__redisTestServer__ = server;
}
