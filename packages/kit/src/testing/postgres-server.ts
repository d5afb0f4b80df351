import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The install line named when the binaries are missing (scripts/test and .ci/run name it too). */
export const POSTGRES_INSTALL = 'apt-get install postgresql';

/** A PostgreSQL server this process started, reachable only through a unix socket in its own folder. */
export interface PostgresServer {
  /** The folder holding the socket (the `host` node-postgres is given) and the data. */
  dir: string;
  user: string;
  /** postgresql://postgres@/postgres?host=<dir>: no password, no port, nothing on the network. */
  url: string;
  stop(): void;
}

/** Debian's binaries: /usr/lib/postgresql/<major>/bin (the newest), else PATH (when pg_ctl is there). */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)) : [];
  majors.sort((a, b) => Number(b) - Number(a));
  for (const major of majors) if (existsSync(join(root, major, 'bin', 'initdb'))) return join(root, major, 'bin');
  for (const dir of (process.env.PATH ?? '').split(':'))
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  return undefined;
}

/**
 * PostgreSQL refuses to run as root. As root (a CI container), the server runs as the
 * `postgres` user Debian's package creates; the folder is given to it.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined)
    throw new Error('PostgreSQL will not run as root, and there is no postgres user to run it as');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * initdb into a temporary folder and start the server with pg_ctl (which returns once the
 * server accepts connections: no polling here). listen_addresses is empty: the server takes
 * no TCP port at all, so it never meets the machine's own PostgreSQL on 5432, and its socket
 * lives in the folder. fsync is off: a test server's data need not survive a power cut.
 */
export function startPostgresServer(dir = mkdtempSync(join(tmpdir(), 'pg-test-'))): PostgresServer {
  const bin = findPostgresBin();
  if (!bin) throw new Error(`PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): ${POSTGRES_INSTALL}`);
  const owner = serverUser();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const run = (program: string, args: string[]): void => {
    execFileSync(join(bin, program), args, { stdio: ['ignore', 'ignore', 'pipe'], ...(owner ?? {}) });
  };
  const data = join(dir, 'data');
  const user = 'postgres';
  run('initdb', ['-D', data, '-U', user, '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  const settings = `-c listen_addresses='' -c unix_socket_directories='${dir}' -c fsync=off -c full_page_writes=off -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-w', '-t', '60', '-l', join(dir, 'server.log'), '-o', settings, 'start']);
  return { dir, user, url: `postgresql://${user}@/postgres?host=${encodeURIComponent(dir)}`, stop: () => stopPostgresServer(dir) };
}

/** Stops the server started in `dir` (at once: a test server's data is thrown away) and removes the folder. */
export function stopPostgresServer(dir: string): void {
  const data = join(dir, 'data');
  const bin = findPostgresBin();
  if (bin && existsSync(join(data, 'postmaster.pid'))) {
    try {
      execFileSync(join(bin, 'pg_ctl'), ['-D', data, '-w', '-m', 'immediate', 'stop'], { stdio: 'ignore', ...(serverUser() ?? {}) });
    } catch {
      // already gone: the folder goes anyway
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
