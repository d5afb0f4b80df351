import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { PrivateRedis } from '../../../packages/platform/src/local/redis';

// Round 2, item 3: a space's private Redis took any client on the machine (no password,
// CONFIG on, data readable by all): any local user could read the password hashes or
// CONFIG SET dir to write files as the developer.
jest.setTimeout(60_000);

let root: string;
let redis: PrivateRedis;
const logged: string[] = [];
const clients: Redis[] = [];
const client = (url: string): Redis => {
  // No ready check: it would ask INFO first, and a refused INFO is not what is tried here.
  const made = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null, enableReadyCheck: false });
  made.on('error', () => undefined);
  clients.push(made);
  return made;
};
const refusal = (attempt: Promise<unknown>): Promise<string> =>
  attempt.then(
    () => 'accepted',
    (error: Error) => error.message.split(' ')[0] ?? '',
  );

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'hostile-redis-'));
  redis = await PrivateRedis.start(join(root, 'redis'), (record) => logged.push(record.line));
});
afterAll(async () => {
  for (const made of clients) made.disconnect();
  await redis?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe("a space's private Redis, tried by another user of the machine", () => {
  test('when a client comes without the password, then every command is refused (NOAUTH)', async () => {
    const stranger = client(redis.url);
    await stranger.connect().catch(() => undefined);
    expect(await refusal(stranger.get('users:any'))).toBe('NOAUTH');
    expect(await refusal(stranger.config('SET', 'dir', '/tmp'))).toBe('NOAUTH');
  });

  test("when a client has the apps' password, then it reads and writes keys but CONFIG, FLUSHALL, KEYS, SHUTDOWN and ACL are refused (NOPERM), and DEBUG too", async () => {
    const app = client(redis.appUrl);
    await app.connect();
    await app.set('hostile:probe', 'x');
    expect(await app.get('hostile:probe')).toBe('x');
    const refused = await Promise.all([
      refusal(app.config('SET', 'dir', '/tmp')),
      refusal(app.config('GET', 'dir')),
      refusal(app.flushall()),
      refusal(app.keys('*')),
      refusal(app.call('SHUTDOWN', 'NOSAVE')),
      refusal(app.call('ACL', 'LIST')),
    ]);
    expect(refused).toEqual(Array(6).fill('NOPERM'));
    // Redis 7 turns DEBUG off for everyone by default (enable-debug-command no): refused before the ACL is asked.
    expect(await refusal(app.call('DEBUG', 'SLEEP', '0'))).toBe('ERR');
    expect(redis.state).toBe('running');
  });

  test('when the files are looked at, then the data folder is 0700, the credentials, ACL and config files 0600, and no password is on the command line or in a logged line', async () => {
    const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);
    expect([
      mode(join(root, 'redis')),
      mode(join(root, 'redis-credentials.json')),
      mode(join(root, 'redis', 'users.acl')),
      mode(join(root, 'redis', 'redis.conf')),
    ]).toEqual(['700', '600', '600', '600']);
    const passwords = Object.values(JSON.parse(readFileSync(join(root, 'redis-credentials.json'), 'utf8')) as Record<string, string>);
    expect(passwords).toHaveLength(2);
    const commandLine = readFileSync(`/proc/${redis.pid}/cmdline`, 'utf8');
    const acl = readFileSync(join(root, 'redis', 'users.acl'), 'utf8');
    for (const password of passwords) {
      expect(commandLine).not.toContain(password);
      expect(acl).not.toContain(password);
      expect(logged.join('\n')).not.toContain(password);
      expect(redis.url).not.toContain(password);
      expect(JSON.stringify(redis.status())).not.toContain(password);
    }
  });

  test('when the space starts again on the same folder, then the same passwords open it', async () => {
    const url = redis.appUrl;
    await redis.stop();
    redis = await PrivateRedis.start(join(root, 'redis'), (record) => logged.push(record.line));
    expect(redis.appUrl.replace(/:\d+$/, '')).toBe(url.replace(/:\d+$/, ''));
    const again = client(redis.appUrl);
    await again.connect();
    expect(await again.get('hostile:probe')).toBe('x');
  });
});
