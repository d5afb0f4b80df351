import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stopPostgresServer } from './postgres-server';
import type { RedisServer } from './redis-server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __redisTestServer__?: RedisServer }).__redisTestServer__;
  await server?.stop();
  // The run's PostgreSQL, when a test file started one.
  const runDir = process.env.POSTGRES_TEST_DIR;
  if (runDir && existsSync(runDir)) {
    stopPostgresServer(join(runDir, 'server'));
    rmSync(runDir, { recursive: true, force: true });
  }
}
