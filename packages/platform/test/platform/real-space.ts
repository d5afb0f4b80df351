import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocateTestDatabase } from '@bundle/kit/testing';
import { Space, type LogRecord } from '../../src';
import { http, ROOT } from './helpers';

export interface RealSpace {
  space: Space;
  port: number;
  logs: LogRecord[];
  /** Resolves with the first log line (`app [source] line`) matching, past or future. */
  waitForLog(match: RegExp): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The repository's manifest.yml with the dev vars and two instances of every web app, on
 * a free router port and a Redis database of its own. Builds first (a no-op compile when
 * the dist folders are up to date): the manifest runs the built apps.
 */
export async function startRealSpace(
  name: string,
  options: {
    env?: NodeJS.ProcessEnv;
    vars?: Record<string, string | number>;
    checkIntervalSeconds?: number;
    manifestFile?: string;
    /** Default: a new temporary folder; .local/<name> lets the scripts reach the space (removed at stop either way). */
    dataDir?: string;
  } = {},
): Promise<RealSpace> {
  const building = Date.now();
  const build = spawnSync(join(ROOT, 'scripts', 'build'), { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`scripts/build failed: ${build.stderr || build.stdout}`);
  process.stdout.write(`scripts/build: ${Date.now() - building} ms\n`);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'platform-real-'));
  const logs: LogRecord[] = [];
  const waiters: Array<{ match: RegExp; resolve: (line: string) => void }> = [];
  const text = (record: LogRecord): string => `${record.app} [${record.source}] ${record.line}`;
  const space = new Space({
    root: ROOT,
    space: name,
    ...(options.manifestFile ? { manifestFile: options.manifestFile } : {}),
    varsFiles: [join(ROOT, 'vars', 'dev.yml')],
    // The load tests post faster than one person would: the post rate limit has its own tests.
    vars: { web_instances: 2, post_rate_limit: 100000, ...options.vars },
    routerPort: 0,
    dataDir,
    env: options.env ?? { ...process.env, REDIS_URL: await allocateTestDatabase() },
    ...(options.checkIntervalSeconds !== undefined ? { checkIntervalSeconds: options.checkIntervalSeconds } : {}),
    log: (record) => {
      logs.push(record);
      for (const waiter of [...waiters]) {
        if (!waiter.match.test(text(record))) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(text(record));
      }
    },
  });
  const starting = Date.now();
  try {
    await space.start();
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  process.stdout.write(`real manifest: ${space.slots.size} instances ready in ${Date.now() - starting} ms\n`);
  return {
    space,
    port: space.router?.port ?? 0,
    logs,
    waitForLog(match) {
      const seen = logs.map(text).find((line) => match.test(line));
      return seen !== undefined ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
    async stop() {
      await space.stop();
      // PLATFORM_TEST_LOGS=<file> keeps every line for a look after a failure.
      if (process.env.PLATFORM_TEST_LOGS) writeFileSync(`${process.env.PLATFORM_TEST_LOGS}.${name}`, logs.map(text).join('\n'));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Registers a user and logs in through the router; returns the bearer token. */
export async function signUp(port: number, prefix: string): Promise<string> {
  const nickname = `${prefix}${Date.now().toString(36)}`;
  const password = 'correct horse battery staple';
  const created = await http(port, '/api/users', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nickname, password }),
  });
  if (created.status !== 201) throw new Error(`registration: ${created.status} ${created.body}`);
  const login = await http(port, '/api/tokens', {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${nickname}:${password}`).toString('base64')}` },
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${login.body}`);
  return login.json<{ access_token: string }>().access_token;
}
