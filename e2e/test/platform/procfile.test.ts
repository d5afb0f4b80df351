import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocateTestDatabase } from '@bundle/kit/testing';
import { buildAll, ROOT } from './chat-apps';
import { envFile as writeEnvFile, ForemanRun, freePortBlock, PROCESS_TYPES, WEB_APPS } from './foreman-run';

/**
 * The Procfile as `heroku local` runs it: @heroku/foreman (the runner inside `heroku
 * local`) starts every process type of the Procfile with .env.example as it is, each on its
 * own PORT (the base port plus 100 per Procfile line), and the journeys pass through the
 * Procfile's router. Only the Redis is this run's own, and the base port: `heroku local`
 * starts at 5006, foreman at 5000, -p N anywhere, so two runs at two different free bases
 * (one given with -p, one as PORT in the env file) must both route every prefix.
 */

/** The reference chat's process types, in their order (scripts/new-app appends an app's). */
const REFERENCE_TYPES = ['router', 'ui', 'users', 'tokens', 'messages', 'worker', 'push'];
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

/** .env.example as it is, with this run's Redis (and PORT when given). */
const envFile = (name: string, redisUrl: string, port?: number): string =>
  writeEnvFile(join(workDir, name), { redisUrl, clientDir, ...(port === undefined ? {} : { port }) });

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
