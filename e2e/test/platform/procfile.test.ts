import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocateTestDatabase, freePort } from '@bundle/kit/testing';
import { buildAll, ROOT } from './chat-apps';

/**
 * The Procfile as `heroku local` runs it: @heroku/foreman (the runner inside `heroku
 * local`) starts every process type of the Procfile with the settings of .env.example,
 * each on its own PORT (the base port plus 100 per Procfile line, which is what the
 * ports in .env.example assume), and the journeys pass through the Procfile's router.
 * Only the Redis and the ports are this run's own: the ports of .env.example are moved
 * to a free base, so a Procfile line and the routes of .env.example that disagree fail.
 */

const PROCESS_TYPES = readFileSync(join(ROOT, 'Procfile'), 'utf8')
  .split('\n')
  .map((line) => /^([\w-]+):/.exec(line)?.[1])
  .filter((name): name is string => name !== undefined);
const WEB_APPS = ['ui', 'users', 'tokens', 'messages', 'push'];

let workDir = '';
let runner: ChildProcess | undefined;
const output: string[] = [];

/** A base port with base + 100 * n free for every process type (the runner's scheme). */
async function freePortBlock(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const base = await freePort();
    const ports = PROCESS_TYPES.map((_, index) => base + 100 * index);
    if (ports.every((port) => port <= 65535) && (await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error('no block of free ports for the Procfile');
}

function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** .env.example with the ports moved from 5000 to `base`, this run's Redis, and 127.0.0.1. */
function envFile(base: number, redisUrl: string, clientDir: string): string {
  const lines = readFileSync(join(ROOT, '.env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => (line.startsWith('REDIS_URL=') ? `REDIS_URL=${redisUrl}` : line))
    .map((line) => line.replace(/\b5([0-9])00\b/g, (_, step: string) => String(base + Number(step) * 100)));
  lines.push('HOST=127.0.0.1', `UI_PUBLIC_DIR=${clientDir}`);
  const file = join(workDir, 'env');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Lines of one process type, without the runner's "time name.1 |" prefix. */
function linesOf(type: string): string[] {
  const prefix = new RegExp(`^[^|]*\\b${type}\\.1\\s+\\|  `);
  return output.filter((line) => prefix.test(line)).map((line) => line.replace(prefix, ''));
}

/** The port the router says it listens on (the runner's base port). */
const routerPort = (): number => Number(/^router: http:\/\/localhost:(\d+)/m.exec(linesOf('router').join('\n'))?.[1]);

const tail = (): string => output.slice(-40).join('\n');

/** Resolves when every process type said it is up; rejects if the runner ends first. */
function allStarted(): Promise<void> {
  const started = (): boolean =>
    linesOf('router').some((line) => line.startsWith('router: http://')) &&
    linesOf('worker').some((line) => line.includes('"consuming the event bus"')) &&
    WEB_APPS.every((app) => linesOf(app).some((line) => line.includes('"msg":"listening"')));
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!started()) return;
      runner?.stdout?.off('data', check);
      resolve();
    };
    runner?.stdout?.on('data', check);
    runner?.once('exit', (code) => reject(new Error(`the runner exited (${code}) before every process was up:\n${tail()}`)));
  });
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'procfile-'));
  const clientDir = join(workDir, 'public');
  buildAll(clientDir);
  const base = await freePortBlock();
  const env = envFile(base, await allocateTestDatabase(), clientDir);
  // Its own process group, so stopping it can do what Ctrl-C does in a terminal.
  runner = spawn(process.execPath, [require.resolve('@heroku/foreman/nf.js'), 'start', '-j', 'Procfile', '-e', env, '-p', String(base)], {
    cwd: ROOT,
    detached: true,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let partial = '';
  runner.stdout?.setEncoding('utf8');
  runner.stdout?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    output.push(...lines);
  });
  runner.stderr?.setEncoding('utf8');
  runner.stderr?.on('data', (chunk: string) => output.push(...chunk.split('\n').filter(Boolean)));
  await allStarted();
});

afterAll(() => {
  if (runner?.pid !== undefined && runner.exitCode === null) process.kill(-runner.pid, 'SIGKILL');
  rmSync(workDir, { recursive: true, force: true });
});

describe('the Procfile under @heroku/foreman (heroku local)', () => {
  test('every process type starts, each web app on the port the runner gives its Procfile line', () => {
    expect(PROCESS_TYPES).toEqual(['router', 'ui', 'users', 'tokens', 'messages', 'worker', 'push']);
    const base = routerPort();
    expect(Number.isInteger(base)).toBe(true);
    for (const app of WEB_APPS) {
      const listening = linesOf(app).map((line) => JSON.parse(line) as { msg?: string; port?: number }).find((record) => record.msg === 'listening');
      expect({ app, port: listening?.port }).toEqual({ app, port: base + 100 * PROCESS_TYPES.indexOf(app) });
    }
  });

  test('the journeys pass through the router, browser included', () => {
    const base = routerPort();
    const appUrl = WEB_APPS.map((app) => `${app}=http://127.0.0.1:${base + 100 * PROCESS_TYPES.indexOf(app)}`).join(',');
    const journeys = spawnSync(process.execPath, ['scripts/lib/e2e.js', `http://127.0.0.1:${base}`, '--app-url', appUrl, '--results', join(workDir, 'results')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 100_000,
    });
    const report = `${journeys.stdout}${journeys.stderr}`;
    expect({ status: journeys.status, failed: report.split('\n').filter((line) => line.includes('FAIL')) }).toEqual({ status: 0, failed: [] });
    expect(report).toMatch(/e2e: 7 passed, 0 failed/);
  });

  test('Ctrl-C stops every process: each app drains and exits, nothing is left, and each app wrote only JSON lines', async () => {
    const pid = runner?.pid as number;
    const exited = once(runner as ChildProcess, 'exit');
    process.kill(-pid, 'SIGINT'); // what a terminal sends the whole foreground group
    await exited;
    let left = true;
    try {
      process.kill(-pid, 0);
    } catch {
      left = false;
    }
    expect({ left, tail: left ? tail() : '' }).toEqual({ left: false, tail: '' });
    for (const type of [...WEB_APPS, 'worker']) {
      const lines = linesOf(type);
      const records = lines.map((line) => JSON.parse(line) as { msg?: string });
      expect({ type, stopped: records.some((record) => record.msg === 'stopped') }).toEqual({ type, stopped: true });
    }
  });
});
