import type { RedisServer } from './redis-server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __redisTestServer__?: RedisServer }).__redisTestServer__;
  await server?.stop();
}
