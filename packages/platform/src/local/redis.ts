import type { LogRecord } from './logs';
import { freePort } from './ports';
import { APP_USER, redisAccess, redisUrlFor, writeRedisConfig, type RedisAccess } from './redis-access';
import { SupervisedServer, type ServerLaunch, type ServerState, type ServerStatus } from './supervised-server';

export const INSTALL_REDIS =
  'redis-server is not installed: install it (Debian/Ubuntu: sudo apt-get install -y redis-server; Fedora: sudo dnf install -y redis; macOS: brew install redis) or set REDIS_URL=redis://host:port';

export type RedisState = ServerState;

/** The private Redis in `scripts/status`. */
export type RedisStatus = ServerStatus & { url: string };

/**
 * A redis-server for one space, on 127.0.0.1 and a free port, keeping its data in `dir`
 * with the append-only file on, so stopping and starting the space keeps the data.
 * Supervised (supervised-server.ts): `redis-cli shutdown` on a platform's service is no way
 * to stop a space, so it is started again.
 */
export class PrivateRedis extends SupervisedServer {
  private constructor(
    dir: string,
    port: number,
    private readonly access: RedisAccess,
    log: (record: LogRecord) => void,
  ) {
    super(dir, port, log);
  }

  /** Resolves once it accepts connections; rejects with one line when it cannot start. */
  static async start(dir: string, log: (record: LogRecord) => void = () => undefined): Promise<PrivateRedis> {
    const redis = new PrivateRedis(dir, await freePort(), redisAccess(dir), log);
    await redis.firstStart();
    return redis;
  }

  /** Where it listens, without credentials: what start and status show. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** What the apps' bindings carry: the `app` user, without Redis's dangerous commands (redis-access.ts). */
  get appUrl(): string {
    return redisUrlFor(this.port, APP_USER, this.access.app);
  }

  /** The supervisor's own (every command): never in a binding or a printed line. */
  get adminUrl(): string {
    return redisUrlFor(this.port, 'default', this.access.admin);
  }

  status(): RedisStatus {
    return this.statusWith('url', this.url);
  }

  /** SIGTERM: redis-server flushes the append-only file and exits. */
  protected launch(): ServerLaunch {
    return {
      name: 'redis-server',
      app: 'redis',
      command: 'redis-server',
      // Rewritten at every start: a data folder from before passwords gets them, and its mode.
      args: [writeRedisConfig(this.dir, this.port, this.access)],
      readyLine: 'Ready to accept connections',
      stopSignal: 'SIGTERM',
      notInstalled: INSTALL_REDIS,
      why: (last) =>
        [...last]
          .reverse()
          .find((line) => / # /.test(line) && !/bye bye/.test(line))
          ?.replace(/^.* # /, ''),
    };
  }
}
