/**
 * The day-two commands with --target local (the default) against a running space: the
 * platform's fixture apps started by scripts/start --detach, each command run as a person
 * runs it. The rolling and live guarantees under load are in
 * packages/platform/test/platform/day-two.test.ts; here, what each command prints and exits with.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { allocateTestDatabase } from '@bundle/kit/testing';
import { lines, script, type Ran } from '../../../../lib/testing/run-script';
import { ROOT } from '../../../../lib/testing/throwaway-repo';
import { createMissingServices } from '../../push';

jest.setTimeout(240_000);

const SPACE = `daytwo-${process.pid}`;
const FIXTURES = path.join(ROOT, 'packages', 'platform', 'test', 'fixtures');
// A manifest of its own under the repository (in .local/, ignored by git): a space keeps
// droplets of what lies under the repository, at the same places.
fs.mkdirSync(path.join(ROOT, '.local'), { recursive: true });
const folder = fs.mkdtempSync(path.join(ROOT, '.local', 'local-day-two-'));
const manifest = path.join(folder, 'manifest.yml');
fs.writeFileSync(
  manifest,
  fs
    .readFileSync(path.join(FIXTURES, 'manifest.yml'), 'utf8')
    .replaceAll('path: app', `path: ${path.relative(folder, path.join(FIXTURES, 'app'))}`),
);
let env: NodeJS.ProcessEnv;
let started: Ran;

beforeAll(async () => {
  env = { ROUTER_PORT: '0', REDIS_URL: await allocateTestDatabase() };
  started = await script('start', [SPACE, '--detach', '--manifest', manifest, '--vars-file', path.join(FIXTURES, 'vars.yml')], env);
  if (started.status !== 0) throw new Error(`scripts/start failed: ${started.stdout}${started.stderr}`);
});
afterAll(async () => {
  await script('stop', [SPACE]);
  fs.rmSync(path.join(ROOT, '.local', SPACE), { recursive: true, force: true });
  fs.rmSync(folder, { recursive: true, force: true });
});

test('when the space is started with --detach, then its block says how to stop it without a Ctrl-C it has no terminal for', () => {
  const stop = lines(started.stdout).filter((line) => /^ {2}stop /.test(line));
  expect(stop).toEqual([`  stop    scripts/stop ${SPACE}`]);
});

test('when the space is up, then its block and scripts/status name its console, whose data answers only with the token of its URL', async () => {
  const block = lines(started.stdout).filter((line) => /^ {2}console /.test(line));
  expect(block).toEqual([expect.stringMatching(/^ {2}console http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{24}$/)]);
  const url = new URL(block[0]!.replace(/^ {2}console /, ''));
  const token = new URLSearchParams(url.hash.slice(1)).get('token');
  const api = new URL('/api/status', url);
  expect((await fetch(api)).status).toBe(401);
  const answer = await fetch(api, { headers: { authorization: `Bearer ${token}` } });
  expect([answer.status, ((await answer.json()) as { space?: string }).space]).toEqual([200, SPACE]);
  const status = await script('status', [SPACE]);
  expect(lines(status.stdout)).toContain(`console: ${url.href}`);
  // The supervisor's log holds the block, token and all: its owner's alone.
  expect(fs.statSync(path.join(ROOT, '.local', SPACE, 'supervisor.log')).mode & 0o777).toBe(0o600);
});

test("when a task runs, then its output comes here (stdout and stderr apart), it exits with the task's code, and scripts/logs has its lines as [APP/TASK/<name>/0]", async () => {
  const task = await script('run-task', [
    SPACE,
    'api',
    '--name',
    'migrate',
    '--',
    'sh',
    '-c',
    'echo "version $APP_VERSION"; echo oops >&2; exit 3',
  ]);

  expect([task.status, lines(task.stdout), lines(task.stderr)]).toEqual([
    3,
    [`run-task: task migrate of api in ${SPACE}: sh -c 'echo "version $APP_VERSION"; echo oops >&2; exit 3'`, 'version 1.0.0'],
    ['oops', `run-task: task migrate of api in ${SPACE} failed with exit 3`],
  ]);
  const logs = await script('logs', [SPACE, 'api', '--recent']);
  expect(
    lines(logs.stdout)
      .filter((line) => line.includes('[APP/TASK/migrate/0]'))
      .map((line) => line.replace(/^\S+ /, '')),
  ).toEqual([
    `api [APP/TASK/migrate/0] OUT Starting task migrate: sh -c 'echo "version $APP_VERSION"; echo oops >&2; exit 3'`,
    'api [APP/TASK/migrate/0] OUT version 1.0.0',
    'api [APP/TASK/migrate/0] ERR oops',
    'api [APP/TASK/migrate/0] OUT Exit status 3',
  ]);
});

test('when the person stops scripts/run-task (Ctrl-C), then the task ends too', async () => {
  const child = spawn(
    path.join(ROOT, 'scripts', 'run-task'),
    [SPACE, 'api', '--name', 'long', '--', 'sh', '-c', 'echo started; sleep 120'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolveStarted, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += String(chunk);
      if (/^started$/m.test(out)) resolveStarted();
    });
    child.once('exit', (code) => reject(new Error(`run-task exited (${code}) before the task started: ${out}`)));
  });
  child.kill('SIGINT');

  // The supervisor logs the task's end once it has it: a bounded number of looks, each a scripts/logs run.
  let ended: string[] = [];
  for (let look = 0; look < 40 && ended.length === 0; look += 1) {
    const logs = await script('logs', [SPACE, 'api', '--recent']);
    ended = lines(logs.stdout).filter((line) => line.includes('[APP/TASK/long/0] OUT Exit status'));
  }
  expect(ended.map((line) => line.replace(/^\S+ /, ''))).toEqual(['api [APP/TASK/long/0] OUT Exit status 143']);
});

test('when a variable is set, then env shows it only after the restart it names, and masks a secret', async () => {
  const set = await script('set-env', [SPACE, 'front', 'GREETING=hello', 'API_TOKEN=s3cret-value']);
  expect([set.status, lines(set.stdout)]).toEqual([
    0,
    [`set-env: set GREETING, API_TOKEN on front in ${SPACE} (local): they take effect at the next restart: scripts/restart ${SPACE} front`],
  ]);
  expect(lines((await script('env', [SPACE, 'front'])).stdout).filter((line) => /^(GREETING|API_TOKEN)=/.test(line))).toEqual([]);

  const restart = await script('restart', [SPACE, 'front']);
  expect([restart.status, lines(restart.stdout)]).toEqual([
    0,
    [expect.stringMatching(/^restart: replaced 2 instances in \d+\.\ds$/), `restart: front in ${SPACE} (local) restarted`],
  ]);
  const shown = await script('env', [SPACE, 'front']);
  expect(lines(shown.stdout).filter((line) => /^(GREETING|API_TOKEN|VCAP_SERVICES)=/.test(line))).toEqual([
    'API_TOKEN=<hidden>',
    'GREETING=hello',
    expect.stringMatching(/^VCAP_SERVICES=.*"name":"users-db".*"credentials":\{"key":"<hidden>"\}/),
  ]);
  expect(shown.stdout).not.toContain('s3cret-value');
});

test('when scaled, then the space runs that many instances of that process', async () => {
  const up = await script('scale', [SPACE, 'api', '-i', '3']);
  const worker = await script('scale', [SPACE, 'api', '--process', 'worker', '-i', '2', '-m', '96M']);

  expect([up.status, lines(up.stdout)[1], worker.status, lines(worker.stdout)[1]]).toEqual([
    0,
    `scale: api web in ${SPACE} (local) runs 3 instances`,
    0,
    `scale: api worker in ${SPACE} (local) runs 2 instances, 96M each`,
  ]);
  const status = await script('status', [SPACE]);
  expect(status.stdout).toMatch(/^api +web:3\/3, worker:2\/2 /m);
});

test('when a service is created, then the running space binds it from then on, and a second create finds it', async () => {
  const first = await script('create-service', [SPACE, 'notes-db']);
  const second = await script('create-service', [SPACE, 'notes-db']);

  expect([first.status, lines(first.stdout), second.status, lines(second.stdout)]).toEqual([
    0,
    [`create-service: notes-db created in ${SPACE} (local)`],
    0,
    [`create-service: notes-db exists in ${SPACE} (local): nothing to do`],
  ]);
});

test('when a push binds services of the marketplace the space does not provide, then it creates them first and says so; an unknown one is left to the push to refuse', async () => {
  const said: string[] = [];
  await createMissingServices(SPACE, (line: string) => said.push(line), ['users-db', 'tokens-db', 'nope-db']);

  expect(said).toEqual([
    `created service tokens-db: space ${SPACE} binds it from now on (as scripts/create-service ${SPACE} tokens-db does)`,
  ]);
  const again = await script('create-service', [SPACE, 'tokens-db']);
  expect(lines(again.stdout)).toEqual([`create-service: tokens-db exists in ${SPACE} (local): nothing to do`]);
});

test('when scripts/logs is asked for a request id no line has, then one line says so and it exits 1', async () => {
  const result = await script('logs', [SPACE, '--request', 'no-such-request-0123456789']);

  expect([result.status, result.stdout, lines(result.stderr)]).toEqual([
    1,
    '',
    ['logs: no lines for that id: no line of request no-such-request-0123456789 in the last lines the space keeps'],
  ]);
});

test('when the space is not running, then a day-two command says how to start it, exit 1', async () => {
  const result = await script('restart', ['production', 'users']);

  expect([result.status, lines(result.stderr)]).toEqual([
    1,
    ['restart: space production is not running: start it with scripts/start production'],
  ]);
});

test('when the space is no space name, then the usage line and one line, exit 2, before anything under .local is read', async () => {
  const result = await script('env', ['../other', 'users']);

  expect([result.status, lines(result.stderr)[1]]).toEqual([
    2,
    'env: space "../other": a space name is lower-case letters, digits and dashes',
  ]);
});
