import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Who may use a space's private redis-server, and with what. Without this, anyone on the
 * machine could read or change every key (password hashes among them), or `CONFIG SET dir`
 * it into writing files as the developer.
 *
 *   - `default`: the supervisor's own user, every command; its password only in the
 *     credentials file.
 *   - `app`: what the apps' bindings carry; every command but Redis's @dangerous category
 *     (CONFIG, DEBUG, FLUSHALL, KEYS, MONITOR, SHUTDOWN, ACL, ...), with INFO given back:
 *     ioredis asks it before it says it is ready.
 *
 * The passwords are generated once per space and kept in `<space dir>/redis-credentials.json`
 * (0600); Redis itself only sees their SHA-256 in its ACL file, and both it and its config
 * file are 0600 in the data folder, which is 0700. Nothing goes on a command line, where
 * `ps` would show it to every user of the machine.
 */
export interface RedisAccess {
  /** The supervisor's password (user `default`). */
  admin: string;
  /** The apps' password (user `app`). */
  app: string;
}

export const APP_USER = 'app';
const APP_RULES = '~* &* +@all -@dangerous +info';

/** The space's Redis passwords, made on first use and kept 0600 beside its other credentials. */
export function redisAccess(dataDir: string): RedisAccess {
  const file = join(dirname(dataDir), 'redis-credentials.json');
  if (existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as Partial<RedisAccess>;
    if (typeof kept.admin === 'string' && typeof kept.app === 'string') {
      chmodSync(file, 0o600);
      return { admin: kept.admin, app: kept.app };
    }
  }
  const made = { admin: randomBytes(24).toString('base64url'), app: randomBytes(24).toString('base64url') };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(made, null, 2)}\n`, { mode: 0o600 });
  return made;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The data folder (0700), the ACL file and the config file (0600) for a start; returns the config file's path. */
export function writeRedisConfig(dir: string, port: number, access: RedisAccess): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const aclFile = join(dir, 'users.acl');
  writeFileSync(
    aclFile,
    `user default on #${sha256(access.admin)} ~* &* +@all\nuser ${APP_USER} on #${sha256(access.app)} ${APP_RULES}\n`,
    {
      mode: 0o600,
    },
  );
  chmodSync(aclFile, 0o600);
  const config = join(dir, 'redis.conf');
  const lines = [
    `port ${port}`,
    'bind 127.0.0.1',
    `dir "${dir}"`,
    'appendonly yes',
    'save ""',
    'protected-mode yes',
    'daemonize no',
    `aclfile "${aclFile}"`,
  ];
  writeFileSync(config, `${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(config, 0o600);
  return config;
}

/** redis://user:password@127.0.0.1:port */
export function redisUrlFor(port: number, user: string, password: string): string {
  return `redis://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
}
