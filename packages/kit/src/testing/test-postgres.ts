import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { PostgresLocation } from '../config/postgres-url';
import { startPostgresServer, type PostgresServer } from './postgres-server';

/** A database of a test file's own on the run's PostgreSQL; drop() removes it. */
export interface TestDatabase {
  name: string;
  /** What the app's pool and runMigrations take, as config.postgres() would give it. */
  location: PostgresLocation;
  drop(): Promise<void>;
}

const RUN_DIR = 'POSTGRES_TEST_DIR';
const WAIT_MS = 120_000;

/** The run's folder for its PostgreSQL (made by the global setup; made here when a test runs alone). */
export function postgresRunDir(): string {
  let dir = process.env[RUN_DIR];
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'pg-run-'));
    process.env[RUN_DIR] = dir;
  }
  return dir;
}

/** Starts the run's server in `runDir` (the caller holds the lock), recording success or the reason it failed. */
export function startRunServer(runDir: string): PostgresServer | undefined {
  const dir = join(runDir, 'server');
  mkdirSync(dir);
  // As root the server runs as the postgres user, which must reach its folder through this one.
  chmodSync(runDir, 0o755);
  try {
    const server = startPostgresServer(dir);
    writeFileSync(join(runDir, 'ready'), server.dir);
    return server;
  } catch (error) {
    writeFileSync(join(runDir, 'failed'), (error as Error).message.split('\n')[0] ?? 'failed');
    return undefined;
  }
}

/**
 * The socket folder of the run's server. The first test file that needs PostgreSQL starts it
 * (a run without such a file never pays its 2 s); the others wait for it: a folder made
 * atomically is the lock, a file says ready or failed. The global teardown stops it.
 */
async function runServerDir(): Promise<string> {
  const runDir = postgresRunDir();
  let first = false;
  try {
    mkdirSync(join(runDir, 'lock'));
    first = true;
  } catch {
    // another worker starts it
  }
  if (first) startRunServer(runDir);
  const started = Date.now();
  for (;;) {
    if (existsSync(join(runDir, 'failed'))) throw new Error(readFileSync(join(runDir, 'failed'), 'utf8'));
    if (existsSync(join(runDir, 'ready'))) return readFileSync(join(runDir, 'ready'), 'utf8');
    if (Date.now() - started > WAIT_MS) throw new Error(`the test PostgreSQL did not start within ${WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function admin<T>(dir: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ host: dir, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for the calling test file, on the run's own PostgreSQL (never the
 * machine's): `const db = await testPostgres(); afterAll(() => db.drop());`.
 */
export async function testPostgres(): Promise<TestDatabase> {
  const dir = await runServerDir();
  const name = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(dir, (client) => client.query(`CREATE DATABASE ${name}`));
  return {
    name,
    location: {
      connection: { host: dir, port: 5432, database: name, user: 'postgres', ssl: false },
      source: 'the test PostgreSQL',
      variable: 'POSTGRES_TEST_DIR',
    },
    async drop() {
      await admin(dir, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
