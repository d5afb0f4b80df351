import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlatformError } from '../manifest/errors';
import { nextRestart, restartText, type ExitRecord } from './backoff';
import { lineSplitter, logTime, type LogRecord } from './logs';
import { freePort } from './ports';

export const INSTALL_POSTGRES =
  'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb, no initdb on PATH): install it (Debian/Ubuntu: sudo apt-get install -y postgresql; Fedora: sudo dnf install -y postgresql-server; macOS: brew install postgresql@16) or set POSTGRES_URL=postgresql://user:password@host:port/database';

export type PostgresState = 'starting' | 'running' | 'down' | 'stopped';

/** The private PostgreSQL in `scripts/status` (never its password). */
export interface PostgresStatus {
  state: PostgresState;
  address: string;
  pid: number | undefined;
  data_dir: string;
  restarts: number;
  since: string;
  last_exit?: ExitRecord;
  next?: string;
}

/** Debian's binaries (/usr/lib/postgresql/<major>/bin, the newest), else PATH's. */
export function findPostgresBin(path = process.env.PATH): string | undefined {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)) : [];
  majors.sort((a, b) => Number(b) - Number(a));
  for (const major of majors) if (existsSync(join(root, major, 'bin', 'initdb'))) return join(root, major, 'bin');
  return (path ?? '').split(':').find((dir) => dir !== '' && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
}

/** PostgreSQL refuses to run as root: as root, it runs as Debian's `postgres` user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined)
    throw new PlatformError('PostgreSQL will not run as root, and there is no postgres user to run it as');
  return { uid: Number(uid), gid: Number(gid) };
}

/** A binding's database: "notes-db" -> notes_db (a name that needs no quoting). */
export const databaseOf = (binding: string): string => binding.replace(/[^a-z0-9]+/g, '_');

/**
 * A PostgreSQL server for one space: initialised once into `dir/data` with a generated
 * password (kept in `dir/password`, mode 600, never printed), listening on 127.0.0.1 and a
 * free port (password required) and on a socket in `dir` (for the platform itself), one
 * database per binding. Supervised as the private Redis is: an exit nobody asked for is
 * restarted on the same port and data, at once and then with the instances' backoff.
 * Stopping the space stops it with a fast shutdown (committed data is kept).
 */
export class PrivatePostgres extends EventEmitter {
  state: PostgresState = 'starting';
  restarts = 0;
  since = Date.now();
  lastExit: ExitRecord | undefined;
  next: string | undefined;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private crashes = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private supervised = false;

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly password: string,
    private readonly bin: string,
    private readonly owner: { uid: number; gid: number } | undefined,
    private readonly log: (record: LogRecord) => void,
  ) {
    super();
  }

  /** Resolves once it accepts connections and every binding's database exists; rejects with one line otherwise. */
  static async start(dir: string, bindings: string[], log: (record: LogRecord) => void = () => undefined): Promise<PrivatePostgres> {
    const bin = findPostgresBin();
    if (!bin) throw new PlatformError(INSTALL_POSTGRES);
    const owner = serverUser();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const passwordFile = join(dir, 'password');
    if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
    chmodSync(passwordFile, 0o600);
    const password = readFileSync(passwordFile, 'utf8').trim();
    if (owner) {
      chownSync(dir, owner.uid, owner.gid);
      chownSync(passwordFile, owner.uid, owner.gid);
    }
    const data = join(dir, 'data');
    if (!existsSync(join(data, 'PG_VERSION'))) {
      // The socket in the space's own folder (0700) may trust; every TCP connection needs the password.
      const args = [
        '-D',
        data,
        '-U',
        'postgres',
        `--pwfile=${passwordFile}`,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
      ];
      try {
        execFileSync(join(bin, 'initdb'), args, { stdio: ['ignore', 'ignore', 'pipe'], ...(owner ?? {}) });
      } catch (error) {
        const said = String((error as { stderr?: Buffer }).stderr ?? '')
          .trim()
          .split('\n')[0];
        throw new PlatformError(`initdb failed for ${data}: ${said || (error as Error).message}`);
      }
    }
    const postgres = new PrivatePostgres(dir, await freePort(), password, bin, owner, log);
    await postgres.spawn();
    postgres.supervised = true;
    for (const binding of bindings) postgres.ensureDatabase(databaseOf(binding));
    return postgres;
  }

  get pid(): number | undefined {
    return this.state === 'running' || this.state === 'starting' ? this.child?.pid : undefined;
  }

  /** A binding's credentials, in the fields brokers give (uri and the separate ones). */
  credentials(binding: string): Record<string, unknown> {
    const name = databaseOf(binding);
    return {
      uri: `postgresql://postgres:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/${name}`,
      hostname: '127.0.0.1',
      port: this.port,
      name,
      username: 'postgres',
      password: this.password,
    };
  }

  status(): PostgresStatus {
    return {
      state: this.state,
      address: `127.0.0.1:${this.port}`,
      pid: this.pid,
      data_dir: this.dir,
      restarts: this.restarts,
      since: new Date(this.since).toISOString(),
      ...(this.lastExit ? { last_exit: this.lastExit } : {}),
      ...(this.state === 'down' && this.next ? { next: this.next } : {}),
    };
  }

  /** SIGINT is PostgreSQL's fast shutdown: sessions end, committed data is on disk; no restart after it. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGINT');
    await this.exited;
    this.state = 'stopped';
  }

  private ensureDatabase(name: string): void {
    const psql = (sql: string): string =>
      execFileSync(join(this.bin, 'psql'), ['-h', this.dir, '-p', String(this.port), '-U', 'postgres', '-d', 'postgres', '-tAc', sql], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    if (psql(`SELECT 1 FROM pg_database WHERE datname = '${name}'`).trim() !== '1') psql(`CREATE DATABASE ${name}`);
  }

  private spawn(): Promise<void> {
    const settings = [
      '-D',
      join(this.dir, 'data'),
      '-p',
      String(this.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${this.dir}`,
    ];
    // Its own process group: a terminal's Ctrl-C goes to the supervisor, which stops it last.
    const child = spawn(join(this.bin, 'postgres'), settings, {
      cwd: this.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(this.owner ?? {}),
    });
    this.child = child;
    this.state = 'starting';
    this.since = Date.now();
    this.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      const last: string[] = [];
      const onLine = (line: string): void => {
        last.push(line);
        if (last.length > 5) last.shift();
        if (!ready && line.includes('database system is ready to accept connections')) {
          ready = true;
          this.state = 'running';
          resolve();
        }
      };
      for (const stream of [child.stdout, child.stderr]) {
        const splitter = lineSplitter(onLine);
        stream?.on('data', (chunk: Buffer) => splitter.push(chunk));
      }
      child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new PlatformError(INSTALL_POSTGRES) : error));
      child.once('exit', (code, signal) => {
        const said = [...last]
          .reverse()
          .find((line) => /(FATAL|PANIC|LOG):/.test(line))
          ?.replace(/^.*?(FATAL|PANIC|LOG):\s*/, '');
        if (!ready) reject(new PlatformError(`postgres exited with ${code ?? signal} before it was ready: ${last.at(-1) ?? ''}`));
        this.onExit(code, signal, said);
      });
    });
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, said: string | undefined): void {
    if (this.stopping || !this.supervised) return;
    this.state = 'down';
    const status = code ?? signal ?? '?';
    this.lastExit = { reason: 'CRASHED', description: said ?? 'exited', exit_status: status, at: new Date().toISOString() };
    const { crashes, delayMs: delay } = nextRestart(this.crashes, this.since);
    this.crashes = crashes;
    this.next = restartText(delay, crashes);
    this.event(`postgres exited (reason: CRASHED, exit_status: ${status}${said ? `, ${said}` : ''}); ${this.next}`, 'ERR');
    this.emit('down');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.stopping) return;
      this.spawn().then(
        () => {
          this.restarts += 1;
          this.event(`postgres restarted and ready on port ${this.port} (restart ${this.restarts}, data in ${this.dir})`, 'OUT');
          this.emit('restarted');
        },
        () => undefined,
      );
    }, delay);
  }

  private event(line: string, stream: 'OUT' | 'ERR'): void {
    this.log({ time: logTime(), app: 'postgres', source: 'API/0', stream, line });
  }
}
