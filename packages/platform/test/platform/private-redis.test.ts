import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { fixtureSpace, http } from './helpers';

jest.setTimeout(120_000);

const alive = (pid: number | undefined): boolean => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the Redis of a space without REDIS_URL', () => {
  test('when the space starts, stops and starts again, then its private redis-server keeps the data (append-only) and leaves no process behind', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'platform-redis-'));
    const env = { ...process.env, REDIS_URL: '' };
    try {
      const first = await fixtureSpace({ space: 'private-redis', dataDir, env });
      const redisPid = first.space.provisioned?.redisPid;
      const uri =
        (await http(first.port, '/env')).json<{ vcap_services: { redis: Array<{ credentials: { uri: string } }> } }>().vcap_services
          .redis[0]?.credentials.uri ?? '';
      expect(first.space.provisioned?.redis).toMatch(
        /^private redis-server redis:\/\/127\.0\.0\.1:\d+ \(data in .*redis, append-only, password and ACL in redis-credentials\.json\)$/,
      );
      const client = new Redis(uri, { maxRetriesPerRequest: 1 });
      await client.set('platform:test', 'kept');
      client.disconnect();
      const pids = [...first.space.slots.values()].map((slot) => slot.instance.pid);
      await first.stop();
      expect([alive(redisPid), ...pids.map(alive)]).toEqual([false, ...pids.map(() => false)]);
      expect(existsSync(join(dataDir, 'redis')) && readdirSync(join(dataDir, 'redis')).some((name) => name.startsWith('appendonly'))).toBe(
        true,
      );

      const second = await fixtureSpace({ space: 'private-redis', dataDir, env });
      const again =
        (await http(second.port, '/env')).json<{ vcap_services: { redis: Array<{ credentials: { uri: string } }> } }>().vcap_services
          .redis[0]?.credentials.uri ?? '';
      const reader = new Redis(again, { maxRetriesPerRequest: 1 });
      try {
        expect(await reader.get('platform:test')).toBe('kept');
      } finally {
        reader.disconnect();
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
