/**
 * scripts/new-app and scripts/remove-app in a throwaway copy of the project: the new app
 * passes its own tests and the lint and typecheck environments, runs behind the router of
 * a local space and under a real Procfile runner (@heroku/foreman, which `heroku local` is
 * built on), is in the cf dry run; removing it leaves the tree as it was. The copy's full
 * `npm test` would take many minutes: its lint and typecheck environments and the new
 * app's own tests (`npx jest apps/notes`) run here, the rest is the same code as this run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { allocateTestDatabase, freePort } from '@bundle/kit/testing';
import { gitIn, makeProjectCopy, removeRepo, sh, type Ran } from '../../../lib/testing/throwaway-repo';

let dir: string;
beforeAll(() => {
  dir = makeProjectCopy();
});
afterAll(() => removeRepo(dir));

/** The copy's own commands; the child jest starts its own Redis (REDIS_TEST_URL is this run's). */
const run = (command: string, ...args: string[]): Ran => sh(command, args, dir, { FORCE_COLOR: '0', REDIS_TEST_URL: '' });
const script = (name: string, ...args: string[]): Ran => run(path.join(dir, 'scripts', name), ...args);
const lines = (text: string) => text.split('\n').filter(Boolean);

/** Waits for `ready` (bounded: a process that never gets there fails the test with what it printed). */
async function until<T>(what: string, ready: () => Promise<T | undefined>, output: () => string): Promise<T> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const value = await ready().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen; output:\n${output().slice(-3000)}`);
}

/** Signs up, logs in and posts a note through the router at `base`; answers the POST's status and body. */
async function postNote(base: string): Promise<{ status: number; body: unknown }> {
  const nickname = `notes${process.pid}${Date.now() % 100000}`;
  const password = 'a-long-enough-password-42';
  const signUp = await fetch(`${base}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nickname, password }),
  });
  expect(signUp.status).toBe(201);
  const login = await fetch(`${base}/api/tokens`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${nickname}:${password}`).toString('base64')}` },
  });
  const { access_token: token } = (await login.json()) as { access_token: string };
  const posted = await fetch(`${base}/api/notes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'a first note' }),
  });
  return { status: posted.status, body: await posted.json() };
}

/** GET a JSON document with a Host header of our choosing. */
function getJson(port: number, route: string, host: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: route, headers: { host } }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}

function spawnIn(command: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { cwd: dir, env: { ...process.env, FORCE_COLOR: '0', ...env }, detached: true });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

/** Stops a process group this test started, and waits for it to go. */
async function stopGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-(child.pid as number), signal);
  await exited;
}

describe('scripts/new-app notes, then scripts/remove-app notes', () => {
  test.each(['new-app', 'remove-app'])(
    'when scripts/%s is asked for --help or given an unknown option, then the usage line first',
    (name) => {
      const help = script(name, '--help');
      const unknown = script(name, '--no-such-option');
      expect([help.status, lines(help.stdout)[0], help.stdout.includes('  --dry-run ')]).toEqual([
        0,
        expect.stringMatching(new RegExp(`^usage: scripts/${name} <name>`)),
        true,
      ]);
      expect([unknown.status, lines(unknown.stderr)]).toEqual([
        2,
        [expect.stringMatching(/^usage: /), `${name}: unknown option --no-such-option`],
      ]);
    },
  );

  test('when the name or route is taken or invalid, then one line says so and nothing changes', () => {
    expect([script('new-app', 'users').status, lines(script('new-app', 'users').stderr)]).toEqual([
      1,
      ['new-app: users is taken: apps/users/ exists'],
    ]);
    expect(lines(script('new-app', 'memo', '--route', '/api/users').stderr)).toEqual([
      'new-app: route /api/users is already routed to users (manifest.yml)',
    ]);
    // Under another app's route, the longest prefix would hand the new app part of that app's paths.
    expect(lines(script('new-app', 'memo', '--route', '/api/users/me').stderr)).toEqual([
      "new-app: route /api/users/me is under /api/users, routed to users (manifest.yml): it would take over part of that app's paths",
    ]);
    const dotted = script('new-app', 'memo', '--route', '/api/../users');
    expect([dotted.status, lines(dotted.stderr)[1]]).toEqual([
      2,
      expect.stringMatching(/^new-app: --route \/api\/\.\.\/users: a path like \/api\/memo /),
    ]);
    const invalid = script('new-app', 'Bad_Name');
    expect([invalid.status, lines(invalid.stderr)]).toEqual([
      2,
      [expect.stringMatching(/^usage: scripts\/new-app /), expect.stringMatching(/^new-app: "Bad_Name" is not a valid app name: /)],
    ]);
    expect(lines(script('new-app', 'a-name-far-too-long').stderr)).toEqual([
      expect.stringMatching(/^usage: /),
      'new-app: "a-name-far-too-long" is too long: its Heroku app chat-a-name-far-too-long-production would pass Heroku\'s 30 characters',
    ]);
    expect(lines(script('remove-app', 'users').stderr)).toEqual([
      "remove-app: users is still used: manifest.yml: tokens's USERS_URL (http://((host))-users.apps.internal:8080) points at users; change that first",
    ]);
    expect(gitIn(dir, 'status', '--porcelain')).toBe('');
  });

  test('when run with --dry-run, then it names every file it would create or change, and changes none', () => {
    const result = script('new-app', 'notes', '--dry-run');

    expect(result.status).toBe(0);
    expect(lines(result.stdout)).toEqual(
      expect.arrayContaining([
        'new-app: would create apps/notes/src/app.ts',
        'new-app: would create apps/notes/openapi.yaml',
        'new-app: would change manifest.yml',
        'new-app: would change Procfile',
        'new-app: would create heroku/notes.Procfile',
        'new-app: would change heroku.json',
        'new-app: would change .env.example',
        'new-app: would change package-lock.json',
        'new-app: would change e2e/src/journeys/versions.js',
        // The Heroku gateway routes its path too (scripts/gateway render, from the manifest it writes).
        'new-app: would change heroku/gateway/config/nginx.conf.erb',
      ]),
    );
    expect(gitIn(dir, 'status', '--porcelain')).toBe('');
  });

  test('when made, then the deploy files agree, and its tests, lint and typecheck pass', () => {
    const made = script('new-app', 'notes');
    expect([made.status, made.stderr]).toEqual([0, '']);
    // The hint names the commit the pipeline's bump needs, and the push that takes notes into a running space.
    expect(lines(made.stdout)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {2}git add -A && git commit /),
        expect.stringMatching(/^ {2}scripts\/push dev +dev already running: .*creates notes-db there, no restart$/),
      ]),
    );

    const checks = script('test', '-e', 'lint,typecheck', '--app', 'notes');
    expect([
      checks.status,
      checks.stdout.match(/^\d+ passed, \d+ failed$/m)?.[0],
      checks.status === 0 ? '' : `${checks.stdout}${checks.stderr}`,
    ]).toEqual([0, '2 passed, 0 failed', '']);
    expect(checks.stdout).toContain('bundle-check: the deploy files agree');
    const tests = run(path.join(dir, 'node_modules', '.bin', 'jest'), 'apps/notes');
    expect([tests.status, tests.stderr.match(/^Tests: .*$/m)?.[0]]).toEqual([0, expect.stringMatching(/^Tests: +\d+ passed, \d+ total$/)]);
  }, 600_000);

  test('when the space starts, then POST /api/notes through the router is 201 and notes is ready', async () => {
    expect(script('build').status).toBe(0);
    const port = await freePort();
    const space = spawnIn(path.join(dir, 'scripts', 'start'), ['dev'], { ROUTER_PORT: String(port) });
    try {
      await until('the space came up', async () => (/^start: space dev is up in /m.test(space.output()) ? true : undefined), space.output);
      // The space is up once every instance's /ready answered 200 (its readiness check).
      expect(space.output()).toMatch(/ notes \[API\/0\] OUT web instance 0: ready on port \d+/);
      expect(await postNote(`http://127.0.0.1:${port}`)).toEqual({ status: 201, body: expect.objectContaining({ text: 'a first note' }) });
      // Its own route (the versions journey's way in): fetch cannot set Host, node:http can.
      expect(await getJson(port, '/version', 'chat-notes.localhost')).toEqual({ app: 'notes', version: expect.any(String) });
      // The running space knows its apps: logs of one it does not run is one line, not silence for ever.
      const unknown = script('logs', 'dev', 'nosuchapp', '--recent');
      expect([unknown.status, lines(unknown.stderr), unknown.stdout]).toEqual([
        1,
        [expect.stringMatching(/^logs: space dev runs no app nosuchapp \(apps: ui, users, tokens, messages, push, .*notes/)],
        '',
      ]);
      // The space's own Redis logs under its name too.
      const redis = script('logs', 'dev', 'redis', '--recent');
      expect([redis.status, redis.stderr]).toEqual([0, '']);
    } finally {
      script('stop', 'dev');
      await stopGroup(space.child);
    }
  }, 300_000);

  test('when the Procfile runs under @heroku/foreman, then notes answers through the router', async () => {
    const redis = await allocateTestDatabase();
    fs.writeFileSync(
      path.join(dir, '.env'),
      fs.readFileSync(path.join(dir, '.env.example'), 'utf8').replace(/^REDIS_URL=.*$/m, `REDIS_URL=${redis}`),
    );
    const base = await freePort();
    const nf = spawnIn(
      process.execPath,
      [path.join(dir, 'node_modules', '@heroku', 'foreman', 'nf.js'), 'start', '-j', 'Procfile', '-e', '.env', '-p', String(base)],
      {},
    );
    try {
      const url = `http://127.0.0.1:${base}`;
      // Every app the journey needs answers through the router (a 502 means not yet listening).
      const answers = async (route: string) => (await fetch(`${url}${route}`)).status < 500;
      await until(
        'the router and apps came up',
        async () =>
          (await Promise.all(['/api/users/me', '/.well-known/jwks.json', '/api/notes'].map(answers))).every(Boolean) ? true : undefined,
        nf.output,
      );
      expect(await postNote(url)).toEqual({ status: 201, body: expect.objectContaining({ text: 'a first note' }) });
      expect(nf.output()).toMatch(/ notes\.1 +\| /);
    } finally {
      await stopGroup(nf.child, 'SIGTERM');
      fs.rmSync(path.join(dir, '.env'));
    }
  }, 300_000);

  test('when the cf dry run is asked, then it pushes notes before ui', () => {
    const result = script('push', 'staging', '--target', 'cf', '--dry-run');
    const pushes = lines(result.stdout).filter((line) => line.startsWith('cf push '));
    expect(pushes.map((line) => line.split(' ')[2])).toEqual(['tokens', 'users', 'messages', 'push', 'notes', 'ui']);
  });

  test('when removed, then the tree is as it was', () => {
    const dry = script('remove-app', 'notes', '--dry-run');
    expect(lines(dry.stdout)).toEqual(
      expect.arrayContaining([
        'remove-app: would remove apps/notes',
        'remove-app: would remove heroku/notes.Procfile',
        'remove-app: would change manifest.yml',
        'remove-app: would change heroku/gateway/config/nginx.conf.erb',
      ]),
    );
    expect(fs.existsSync(path.join(dir, 'apps', 'notes'))).toBe(true);

    const removed = script('remove-app', 'notes');
    expect([removed.status, removed.stderr]).toEqual([0, '']);
    expect(gitIn(dir, 'status', '--porcelain')).toBe('');
  });
});
