import Redis from 'ioredis';

const clients: Redis[] = [];

/** The Redis the run's global setup started (or REDIS_TEST_URL). */
export function testRedisUrl(): string {
  const url = process.env.REDIS_TEST_URL;
  if (!url) throw new Error('REDIS_TEST_URL is not set: run service tests through jest (its global setup starts redis-server)');
  return url;
}

/**
 * A database of its own for the calling test file: an atomic counter in database 0
 * hands out 1, 2, 3... so files never share keys, whatever order they run in. Returns
 * the URL of that database; connect to it with the app's own client factory.
 */
export async function allocateTestDatabase(): Promise<string> {
  const admin = new Redis(testRedisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await admin.connect();
    const [, databases] = ((await admin.config('GET', 'databases')) as string[]) ?? [];
    const count = Number(databases ?? 16);
    const db = 1 + ((await admin.incr('test:next-database')) % (count - 1));
    const url = new URL(testRedisUrl());
    url.pathname = `/${db}`;
    const client = new Redis(url.toString(), { maxRetriesPerRequest: 1 });
    await client.flushdb();
    client.disconnect();
    return url.toString();
  } finally {
    admin.disconnect();
  }
}

/** A plain client on a fresh database, closed by closeTestRedis(). */
export async function testRedis(): Promise<Redis> {
  const client = new Redis(await allocateTestDatabase(), { maxRetriesPerRequest: 1 });
  clients.push(client);
  return client;
}

export async function closeTestRedis(): Promise<void> {
  await Promise.all(clients.splice(0).map((client) => client.quit().catch(() => client.disconnect())));
}
