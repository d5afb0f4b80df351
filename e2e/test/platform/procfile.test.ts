import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocateTestDatabase, freePort } from '@bundle/kit/testing';
import { parse as parseYaml } from 'yaml';
import { buildAll, ROOT } from './chat-apps';

/**
 * The Procfile as `heroku local` runs it: @heroku/foreman (the runner inside `heroku
 * local`) starts every process type of the Procfile with .env.example as it is, each on its
 * own PORT (the base port plus 100 per Procfile line), and the journeys pass through the
 * Procfile's router. Only the Redis is this run's own, and the base port: `heroku local`
 * starts at 5006, foreman at 5000, -p N anywhere, so two runs at two different free bases
 * (one given with -p, one as PORT in the env file) must both route every prefix.
 */

const PROCESS_TYPES = readFileSync(join(ROOT, 'Procfile'), 'utf8')
  .split('\n')
  .map((line) => /^([\w-]+):/.exec(line)?.[1])
  .filter((name): name is string => name !== undefined);
/** The reference chat's process types, in their order (scripts/new-app appends an app's). */
const REFERENCE_TYPES = ['router', 'ui', 'users', 'tokens', 'messages', 'worker', 'push'];
/** Every app of the manifest: each is a web process type of the Procfile under its own name. */
const WEB_APPS = (parseYaml(readFileSync(join(ROOT, 'manifest.yml'), 'utf8')) as { applications: { name: string }[] }).applications.map(
  (app) => app.name,
);
/** .env.example's ROUTES: path -> process type. */
const ENV_ROUTES = (/^ROUTES=(.*)$/m.exec(readFileSync(join(ROOT, '.env.example'), 'utf8'))?.[1] ?? '')
  .split(',')
  .map((pair) => pair.split('=') as [string, string]);
/** Every public route of the manifest, and the process type that must answer it: the reference chat's, then any other app's. */
const PREFIXES: [string, string][] = [
  ['/', 'ui'],
  ['/.well-known/jwks.json', 'tokens'],
  ['/api/users/no-such-user', 'users'],
  ['/api/tokens/current', 'tokens'],
  ['/api/messages', 'messages'],
  ['/api/events', 'push'],
  ...ENV_ROUTES.filter(([, type]) => !REFERENCE_TYPES.includes(type)),
];

let workDir = '';
let clientDir = '';

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'procfile-'));
  clientDir = join(workDir, 'public');
  buildAll(clientDir);
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

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

/** .env.example as it is, with this run's Redis (and PORT when given). */
function envFile(name: string, redisUrl: string, port?: number): string {
  const lines = readFileSync(join(ROOT, '.env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => (line.startsWith('REDIS_URL=') ? `REDIS_URL=${redisUrl}` : line));
  lines.push(`UI_PUBLIC_DIR=${clientDir}`, ...(port === undefined ? [] : [`PORT=${port}`]));
  const file = join(workDir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** One run of the Procfile under @heroku/foreman, its output split by process type. */
class ForemanRun {
  readonly output: string[] = [];
  private runner: ChildProcess | undefined;

  /** `args`: how the base is given (-p N, or nothing when the env file sets PORT). */
  async start(env: string, args: string[]): Promise<void> {
    // Its own process group, so stopping it can do what Ctrl-C does in a terminal.
    this.runner = spawn(process.execPath, [require.resolve('@heroku/foreman/nf.js'), 'start', '-j', 'Procfile', '-e', env, ...args], {
      cwd: ROOT,
      detached: true,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    this.runner.stdout?.setEncoding('utf8');
    this.runner.stdout?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      this.output.push(...lines);
    });
    this.runner.stderr?.setEncoding('utf8');
    this.runner.stderr?.on('data', (chunk: string) => this.output.push(...chunk.split('\n').filter(Boolean)));
    await this.allStarted();
  }

  get process(): ChildProcess {
    return this.runner as ChildProcess;
  }

  /** Lines of one process type, without the runner's "time name.1 |" prefix. */
  linesOf(type: string): string[] {
    const prefix = new RegExp(`^[^|]*\\b${type}\\.1\\s+\\|  `);
    return this.output.filter((line) => prefix.test(line)).map((line) => line.replace(prefix, ''));
  }

  /** The port the router says it listens on (the runner's base port). */
  routerPort(): number {
    return Number(/^router: http:\/\/localhost:(\d+)/m.exec(this.linesOf('router').join('\n'))?.[1]);
  }

  tail(): string {
    return this.output.slice(-40).join('\n');
  }

  kill(): void {
    if (this.runner?.pid !== undefined && this.runner.exitCode === null) process.kill(-this.runner.pid, 'SIGKILL');
  }

  /** Resolves when every process type said it is up; rejects if the runner ends first. */
  private allStarted(): Promise<void> {
    const started = (): boolean =>
      this.linesOf('router').some((line) => line.startsWith('router: http://')) &&
      this.linesOf('worker').some((line) => line.includes('"consuming the event bus"')) &&
      WEB_APPS.every((app) => this.linesOf(app).some((line) => line.includes('"msg":"listening"')));
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!started()) return;
        this.runner?.stdout?.off('data', check);
        resolve();
      };
      this.runner?.stdout?.on('data', check);
      this.runner?.once('exit', (code) => reject(new Error(`the runner exited (${code}) before every process was up:\n${this.tail()}`)));
    });
  }
}

/**
 * Each public prefix through the router, with a request id of its own: the process type
 * whose access line carries that id is the one the router sent it to.
 */
async function routedTo(run: ForemanRun): Promise<{ path: string; status: number; type: string | undefined }[]> {
  const base = run.routerPort();
  const results = [];
  for (const [path] of PREFIXES) {
    const requestId = randomUUID();
    const controller = new AbortController();
    const response = await fetch(`http://127.0.0.1:${base}${path}`, { headers: { 'x-request-id': requestId }, signal: controller.signal });
    controller.abort(); // /api/events without a token answers at once; this only ends a stream if one opened
    // 502: the router found nothing listening on the port it worked out; no app saw it.
    if (response.status === 502) {
      results.push({ path, status: response.status, type: undefined });
      continue;
    }
    const hasId = (line: string): boolean => line.includes(`"request_id":"${requestId}"`) && line.includes('"status"');
    // The access line is written when the response ends; wait for it on the runner's output.
    const type = await new Promise<string | undefined>((resolve) => {
      const find = (): string | undefined => WEB_APPS.find((app) => run.linesOf(app).some(hasId));
      const found = find();
      if (found) return resolve(found);
      const onData = (): void => {
        const later = find();
        if (!later) return;
        run.process.stdout?.off('data', onData);
        resolve(later);
      };
      run.process.stdout?.on('data', onData);
    });
    results.push({ path, status: response.status, type });
  }
  return results;
}

const expectedRoutes = PREFIXES.map(([path, type]) => ({ path, type, status: expect.any(Number) as number }));

describe('the Procfile under @heroku/foreman (heroku local), base port given with -p', () => {
  const run = new ForemanRun();

  beforeAll(async () => {
    await run.start(envFile('env-p', await allocateTestDatabase()), ['-p', String(await freePortBlock())]);
  });

  afterAll(() => run.kill());

  test('every process type starts, each web app on the port the runner gives its Procfile line, on loopback only', () => {
    expect(PROCESS_TYPES.filter((type) => REFERENCE_TYPES.includes(type))).toEqual(REFERENCE_TYPES);
    expect(PROCESS_TYPES[0]).toBe('router');
    for (const app of WEB_APPS) expect(PROCESS_TYPES).toContain(app);
    const base = run.routerPort();
    expect(Number.isInteger(base)).toBe(true);
    for (const app of WEB_APPS) {
      const listening = run
        .linesOf(app)
        .map((line) => JSON.parse(line) as { msg?: string; host?: string; port?: number })
        .find((record) => record.msg === 'listening');
      expect({ app, host: listening?.host, port: listening?.port }).toEqual({
        app,
        host: '127.0.0.1',
        port: base + 100 * PROCESS_TYPES.indexOf(app),
      });
    }
  });

  test('the router sends /, /.well-known/jwks.json and every /api prefix to its process type, none answers 502', async () => {
    const routes = await routedTo(run);

    expect(routes).toEqual(expectedRoutes);
    expect(routes.filter((route) => route.status >= 502)).toEqual([]);
  });

  test('the journeys pass through the router, browser included', () => {
    const base = run.routerPort();
    const appUrl = WEB_APPS.map((app) => `${app}=http://127.0.0.1:${base + 100 * PROCESS_TYPES.indexOf(app)}`).join(',');
    const journeys = spawnSync(
      process.execPath,
      ['e2e/src/run.js', `http://127.0.0.1:${base}`, '--app-url', appUrl, '--results', join(workDir, 'results')],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 100_000,
      },
    );
    const report = `${journeys.stdout}${journeys.stderr}`;
    expect({ status: journeys.status, failed: report.split('\n').filter((line) => line.includes('FAIL')) }).toEqual({
      status: 0,
      failed: [],
    });
    expect(report).toMatch(/e2e: 7 passed, 0 failed/);
  });

  test('Ctrl-C stops every process: each app drains and exits, nothing is left, and each app wrote only JSON lines', async () => {
    const pid = run.process.pid as number;
    const exited = once(run.process, 'exit');
    process.kill(-pid, 'SIGINT'); // what a terminal sends the whole foreground group
    await exited;
    let left = true;
    try {
      process.kill(-pid, 0);
    } catch {
      left = false;
    }
    expect({ left, tail: left ? run.tail() : '' }).toEqual({ left: false, tail: '' });
    for (const type of PROCESS_TYPES.filter((name) => name !== 'router')) {
      const records = run.linesOf(type).map((line) => JSON.parse(line) as { msg?: string });
      expect({ type, stopped: records.some((record) => record.msg === 'stopped') }).toEqual({ type, stopped: true });
    }
  });
});

describe('the Procfile under @heroku/foreman, another base port, given as PORT in the env file', () => {
  const run = new ForemanRun();
  let base = 0;

  beforeAll(async () => {
    base = await freePortBlock();
    await run.start(envFile('env-port', await allocateTestDatabase(), base), []);
  });

  afterAll(() => run.kill());

  test('the router listens on that base and sends every prefix to its process type', async () => {
    expect(run.routerPort()).toBe(base);
    expect(await routedTo(run)).toEqual(expectedRoutes);
  });

  test('a login works: tokens reaches users and every app reaches the JWKS through USERS_URL and JWKS_URL, which name no port', async () => {
    const url = `http://127.0.0.1:${base}`;
    const nickname = `p${randomUUID().slice(0, 8)}`;
    const json = { 'content-type': 'application/json' };
    const signUp = await fetch(`${url}/api/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ nickname, password: 'a long enough password' }),
    });
    const basic = Buffer.from(`${nickname}:a long enough password`).toString('base64');
    const login = await fetch(`${url}/api/tokens`, { method: 'POST', headers: { authorization: `Basic ${basic}` } });
    const { access_token: token } = (await login.json()) as { access_token?: string };
    const messages = await fetch(`${url}/api/messages`, { headers: { authorization: `Bearer ${token}` } });

    expect({ signUp: signUp.status, login: login.status, messages: messages.status }).toEqual({ signUp: 201, login: 200, messages: 200 });
  });
});
