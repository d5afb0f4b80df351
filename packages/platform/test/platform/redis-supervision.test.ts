import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { formatStatus, spaceStatus, type SpaceStatus } from '../../src';
import { fixtureSpace, http } from './helpers';

type Started = Awaited<ReturnType<typeof fixtureSpace>>;
let started: Started;

beforeAll(async () => {
  // No REDIS_URL: the space runs its own redis-server; READY_REDIS: the apps' /ready PINGs it, as the kit's apps do.
  started = await fixtureSpace({ space: 'redis-supervision', env: { REDIS_URL: '' }, vars: { ready_redis: '1' } });
});
afterAll(async () => started?.stop());

describe("the space's private Redis", () => {
  test('when it is shut down (redis-cli shutdown), then it is restarted on the same port with its data, status shows it down and then restarted, and the apps are ready again', async () => {
    const redis = started.space.provisioned?.privateRedis;
    if (!redis) throw new Error('no private redis');
    const before = { url: redis.url, pid: redis.pid };
    const client = new Redis(redis.adminUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    await client.connect();
    await client.set('supervision:kept', 'yes');
    const exited = started.waitForLog(/^redis \[API\/0\] redis-server exited/);
    // What status says the moment it is down (the restart comes right after).
    const down = new Promise<SpaceStatus>((resolve) => redis.once('down', () => resolve(spaceStatus(started.space))));
    const restarted = started.waitForLog(/^redis \[API\/0\] redis-server restarted and ready/);
    client.disconnect();
    // As the supervisor's own user: the apps' user may not SHUTDOWN (redis-access.ts).
    await promisify(execFile)('redis-cli', [
      '-p',
      new URL(redis.url).port,
      '--user',
      'default',
      '--pass',
      new URL(redis.adminUrl).password,
      '--no-auth-warning',
      'shutdown',
    ]);

    expect((await exited).line).toMatch(
      /^redis-server exited \(reason: CRASHED, exit_status: 0, User requested shutdown\.\.\.\); restarting now \(crash 1\)$/,
    );
    const shown = await down;
    expect([shown.redis_server?.state, shown.redis_server?.pid, shown.redis_server?.next]).toEqual([
      'down',
      undefined,
      'restarting now (crash 1)',
    ]);
    expect(formatStatus(shown)).toMatch(
      /\n {7}DOWN since \S+, restarts 0, last exit CRASHED \(User requested shutdown\.\.\., exit_status 0\) at \S+, restarting now \(crash 1\)\n/,
    );

    expect((await restarted).line).toBe(
      `redis-server restarted and ready on port ${new URL(before.url).port} (restart 1, data in ${redis.dir})`,
    );
    const up = spaceStatus(started.space).redis_server;
    expect([up?.state, up?.url, up?.restarts, up?.last_exit?.reason, up?.pid === before.pid]).toEqual([
      'running',
      before.url,
      1,
      'CRASHED',
      false,
    ]);
    expect(started.space.provisioned?.redisPid).toBe(up?.pid);

    const reader = new Redis(redis.adminUrl, { maxRetriesPerRequest: 1 });
    try {
      expect(await reader.get('supervision:kept')).toBe('yes');
    } finally {
      reader.disconnect();
    }
    // Each app's own /ready PINGs the restarted Redis.
    const web = [...started.space.slots.values()].filter((slot) => slot.process.type === 'web');
    const answers = await Promise.all(web.map(async (slot) => (await http(slot.instance.port, '/ready')).status));
    expect(answers).toEqual(web.map(() => 200));
    // An instance whose check saw the outage comes back into rotation at its next check.
    for (
      let waiting = [...started.space.slots.values()].filter((slot) => !slot.instance.ready);
      waiting.length > 0;
      waiting = waiting.filter((slot) => !slot.instance.ready)
    ) {
      await Promise.race(
        waiting.map((slot) =>
          started.waitForLog(
            new RegExp(`^${slot.app.name} \\[API/0\\] ${slot.process.type} instance ${slot.index}: readiness check passes again`),
          ),
        ),
      );
    }
    const ready = await http(started.port, '/ready');
    expect([ready.status, ready.json<{ status: string }>().status]).toEqual([200, 'ready']);
  });
});
