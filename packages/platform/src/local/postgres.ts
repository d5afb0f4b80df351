import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlatformError } from '../manifest/errors';
import type { LogRecord } from './logs';
import { freePort } from './ports';
import { SupervisedServer, type ServerLaunch, type ServerState, type ServerStatus } from './supervised-server';

export const INSTALL_POSTGRES =
  'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb, no initdb on PATH): install it (Debian/Ubuntu: sudo apt-get install -y postgresql; Fedora: sudo dnf install -y postgresql-server; macOS: brew install postgresql@16) or set POSTGRES_URL=postgresql://user:password@host:port/database';

export type PostgresState = ServerState;

/** The private PostgreSQL in `scripts/status` (never its password). */
export type PostgresStatus = ServerStatus & { address: string };

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
export class PrivatePostgres extends SupervisedServer {
  private constructor(
    dir: string,
    port: number,
    readonly password: string,
    private readonly bin: string,
    private readonly owner: { uid: number; gid: number } | undefined,
    log: (record: LogRecord) => void,
  ) {
    super(dir, port, log);
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
    await postgres.firstStart();
    for (const binding of bindings) postgres.ensureDatabase(databaseOf(binding));
    return postgres;
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
    return this.statusWith('address', `127.0.0.1:${this.port}`);
  }

  private ensureDatabase(name: string): void {
    const psql = (sql: string): string =>
      execFileSync(join(this.bin, 'psql'), ['-h', this.dir, '-p', String(this.port), '-U', 'postgres', '-d', 'postgres', '-tAc', sql], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    if (psql(`SELECT 1 FROM pg_database WHERE datname = '${name}'`).trim() !== '1') psql(`CREATE DATABASE ${name}`);
  }

  /** SIGINT is PostgreSQL's fast shutdown: sessions end, committed data is on disk. */
  protected launch(): ServerLaunch {
    return {
      name: 'postgres',
      app: 'postgres',
      command: join(this.bin, 'postgres'),
      args: [
        '-D',
        join(this.dir, 'data'),
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${this.dir}`,
      ],
      options: { ...(this.owner ?? {}) },
      readyLine: 'database system is ready to accept connections',
      stopSignal: 'SIGINT',
      notInstalled: INSTALL_POSTGRES,
      why: (last) =>
        [...last]
          .reverse()
          .find((line) => /(FATAL|PANIC|LOG):/.test(line))
          ?.replace(/^.*?(FATAL|PANIC|LOG):\s*/, ''),
    };
  }
}
