import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PlatformError } from '../manifest/errors';
import { nextRestart, restartText, type ExitRecord } from './backoff';
import { lineSplitter, logTime, type LogRecord } from './logs';
import { freePort } from './ports';
import { APP_USER, redisAccess, redisUrlFor, writeRedisConfig, type RedisAccess } from './redis-access';

export const INSTALL_REDIS =
  'redis-server is not installed: install it (Debian/Ubuntu: sudo apt-get install -y redis-server; Fedora: sudo dnf install -y redis; macOS: brew install redis) or set REDIS_URL=redis://host:port';

export type RedisState = 'starting' | 'running' | 'down' | 'stopped';

/** The private Redis in `scripts/status`. */
export interface RedisStatus {
  state: RedisState;
  url: string;
  pid: number | undefined;
  data_dir: string;
  /** Restarts after it exited without being asked to. */
  restarts: number;
  since: string;
  last_exit?: ExitRecord;
  /** When it is down: "restarting in 2 s (crash 3)". */
  next?: string;
}

/**
 * A redis-server for one space, on 127.0.0.1 and a free port, keeping its data in `dir`
 * with the append-only file on, so stopping and starting the space keeps the data.
 * Supervised like an instance: when it exits without being asked to (`redis-cli shutdown`,
 * a crash, a kill), it is started again on the same port and data (the instances' bindings
 * name that port), at once and then with the instances' backoff. Emits 'down' when it
 * exited so, and 'restarted' (its pid changed) once it accepts connections again.
 */
export class PrivateRedis extends EventEmitter {
  state: RedisState = 'starting';
  restarts = 0;
  since = Date.now();
  lastExit: ExitRecord | undefined;
  next: string | undefined;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private crashes = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  /** Started once: from then on an exit is restarted (a first start that fails is the caller's error). */
  private supervised = false;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly access: RedisAccess,
    private readonly log: (record: LogRecord) => void,
  ) {
    super();
  }

  /** Resolves once it accepts connections; rejects with one line when it cannot start. */
  static async start(dir: string, log: (record: LogRecord) => void = () => undefined): Promise<PrivateRedis> {
    const redis = new PrivateRedis(dir, await freePort(), redisAccess(dir), log);
    await redis.spawn();
    redis.supervised = true;
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

  get pid(): number | undefined {
    return this.state === 'running' || this.state === 'starting' ? this.child?.pid : undefined;
  }

  status(): RedisStatus {
    return {
      state: this.state,
      url: this.url,
      pid: this.pid,
      data_dir: this.dir,
      restarts: this.restarts,
      since: new Date(this.since).toISOString(),
      ...(this.lastExit ? { last_exit: this.lastExit } : {}),
      ...(this.state === 'down' && this.next ? { next: this.next } : {}),
    };
  }

  /** SIGTERM: redis-server flushes the append-only file and exits; no restart after it. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
    this.state = 'stopped';
  }

  private spawn(): Promise<void> {
    // Rewritten at every start: a data folder from before passwords gets them, and its mode.
    const args = [writeRedisConfig(this.dir, this.port, this.access)];
    // Its own process group: a terminal's Ctrl-C goes to the supervisor, which stops it last.
    // In its data folder: a later start can tell a Redis this space left from another program (control.ts leftovers).
    const child = spawn('redis-server', args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    this.state = 'starting';
    this.since = Date.now();
    this.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      // Its own lines stay out of the space's log (a banner at every start); the last ones say why it exited.
      const last: string[] = [];
      const onLine = (line: string): void => {
        last.push(line);
        if (last.length > 5) last.shift();
        if (!ready && line.includes('Ready to accept connections')) {
          ready = true;
          this.state = 'running';
          resolve();
        }
      };
      for (const stream of [child.stdout, child.stderr]) {
        const splitter = lineSplitter(onLine);
        stream?.on('data', (chunk: Buffer) => splitter.push(chunk));
      }
      child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new PlatformError(INSTALL_REDIS) : error));
      child.once('exit', (code, signal) => {
        const said = [...last]
          .reverse()
          .find((line) => / # /.test(line) && !/bye bye/.test(line))
          ?.replace(/^.* # /, '');
        if (!ready) reject(new PlatformError(`redis-server exited with ${code ?? signal} before it was ready: ${last.at(-1) ?? ''}`));
        this.onExit(code, signal, said);
      });
    });
  }

  /**
   * Any exit the supervisor did not ask for is a crash: Redis is a backing service the
   * instances cannot do without, and `redis-cli shutdown` on a platform's service is no
   * way to stop a space.
   */
  private onExit(code: number | null, signal: NodeJS.Signals | null, said: string | undefined): void {
    if (this.stopping || !this.supervised) return;
    this.state = 'down';
    const status = code ?? signal ?? '?';
    this.lastExit = { reason: 'CRASHED', description: said ?? 'exited', exit_status: status, at: new Date().toISOString() };
    const { crashes, delayMs: delay } = nextRestart(this.crashes, this.since);
    this.crashes = crashes;
    this.next = restartText(delay, crashes);
    this.event(`redis-server exited (reason: CRASHED, exit_status: ${status}${said ? `, ${said}` : ''}); ${this.next}`, 'ERR');
    this.emit('down');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.stopping) return;
      this.spawn().then(
        () => {
          this.restarts += 1;
          this.event(`redis-server restarted and ready on port ${this.port} (restart ${this.restarts}, data in ${this.dir})`, 'OUT');
          this.emit('restarted');
        },
        // It exited before it was ready: onExit has counted that crash and set the next try.
        () => undefined,
      );
    }, delay);
  }

  private event(line: string, stream: 'OUT' | 'ERR'): void {
    this.log({ time: logTime(), app: 'redis', source: 'API/0', stream, line });
  }
}
