/**
 * Every script answers --help (the usage line first, its options, exit 0) and every bad
 * argument with the usage line first and one line saying what is wrong (exit 2), before
 * doing anything. And scripts/test on a machine without what the tests start says so
 * before running any of them.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { lines, script } from '../../../lib/testing/run-script';
import { ROOT } from '../../../lib/testing/throwaway-repo';

/** What ensureBuilt prints when a workspace changed since the last build (start, stop, status, logs). */
const withoutBuild = (text: string) => lines(text).filter((line) => !/^(build|build:client): |^> /.test(line));

const SCRIPTS = [
  'build',
  'bump',
  'e2e',
  'logs',
  'pipeline',
  'provision',
  'push',
  'start',
  'status',
  'stop',
  'test',
  // day two
  'releases',
  'rollback',
  'run-task',
  'restart',
  'scale',
  'env',
  'set-env',
  'create-service',
];

describe.each(SCRIPTS)('scripts/%s', (name) => {
  test('when asked for --help, then the usage line first, the options, exit 0', async () => {
    const result = await script(name, ['--help']);

    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const shown = withoutBuild(result.stdout);
    expect(shown[0]).toMatch(new RegExp(`^usage: scripts/${name}( |$)`));
    expect(shown).toContain('options:');
    expect(shown).toContainEqual(expect.stringMatching(/^ {2}-h, --help +print this help and exit$/));
  });

  test('when given an unknown option, then the usage line first, then the option named, exit 2', async () => {
    const result = await script(name, ['--no-such-option']);

    expect(result.status).toBe(2);
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^usage: scripts/${name}( |$)`)),
      expect.stringMatching(/: unknown option --no-such-option$/),
    ]);
    expect(withoutBuild(result.stdout)).toEqual([]);
  });
});

describe('scripts/start given a file that is not there', () => {
  test.each([['--manifest'], ['--vars-file']])(
    'when %s names no file, then the usage line and the file named, exit 2 (it spoke of a missing router port)',
    async (option) => {
      const result = await script('start', ['zz', option, '/no-such-file.yml']);
      expect([result.status, lines(result.stderr)]).toEqual([
        2,
        [expect.stringMatching(/^usage: scripts\/start /), `start: ${option} /no-such-file.yml: no such file`],
      ]);
    },
  );
});

describe('an option whose value is left out before another option', () => {
  test.each([
    ['logs', ['dev', '--since', '-5m'], '--since'],
    ['new-app', ['notes', '--redis', '--dry-run'], '--redis'],
  ])(
    'when scripts/%s is given %j, then the usage line and one line saying how to pass such a value, exit 2 (node said it in three)',
    async (name, args, option) => {
      const result = await script(name, args);
      expect([result.status, lines(result.stderr)]).toEqual([
        2,
        [
          expect.stringMatching(new RegExp(`^usage: scripts/${name} `)),
          `${name}: option ${option}: a value that starts with "-" goes as ${option}=<value>`,
        ],
      ]);
    },
  );
});

describe.each(['start', 'stop', 'status', 'logs'])('scripts/%s with a space name that is a path', (name) => {
  test('when the space is ../<folder>, then the usage line and the name refused, exit 2, and nothing read or written outside .local', async () => {
    const folder = `escape-${name}-${process.pid}`;
    // --detach: start would first open .local/<space>/supervisor.log for the background supervisor.
    const result = await script(name, [`../${folder}`, ...(name === 'start' ? ['--detach'] : [])]);

    expect(result.status).toBe(2);
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^usage: scripts/${name}( |$)`)),
      `${name}: space "../${folder}": a space name is lower-case letters, digits and dashes`,
    ]);
    expect([fs.existsSync(path.join(ROOT, folder)), fs.existsSync(path.join(ROOT, '.local', '..', folder))]).toEqual([false, false]);
  });
});

describe('scripts/test with its output not at a terminal', () => {
  test('when FORCE_COLOR=0 asks for no colour, then no tool it runs writes a colour code (the OpenAPI lint did, colorette taking any FORCE_COLOR as on)', async () => {
    const result = await script('test', ['-e', 'lint', '--app', 'users'], { FORCE_COLOR: '0' });

    expect(result.status).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain('validating apps/users/openapi.yaml');
    expect(`${result.stdout}${result.stderr}`.includes('\u001b[')).toBe(false);
  });
});

describe('the OpenAPI lint (npm run lint)', () => {
  const lint = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'commands', 'lint-openapi.js'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });

  test('when it is named an app that has no openapi.yaml, then exit 1 naming it (a typo linted nothing and passed)', () => {
    const result = lint('nosuchapp');
    expect([result.status, lines(result.stderr)]).toEqual([
      1,
      [expect.stringMatching(/^lint-openapi: no apps\/nosuchapp\/openapi\.yaml \(apps: /)],
    ]);
  });

  test('when it is given an option, then the usage line and the option named, exit 2', () => {
    const result = lint('--bogus');
    expect([result.status, lines(result.stderr)]).toEqual([
      2,
      [expect.stringMatching(/^usage: node scripts\/commands\/lint-openapi\.js/), 'lint-openapi: unknown option --bogus'],
    ]);
  });
});

describe('.ci/run', () => {
  // Run with an argument, it must answer before it installs or runs anything. It runs from a
  // copy in a folder of its own: one that went on would run npm ci there, not in this checkout.
  let copy: string;
  beforeAll(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-run-'));
    fs.mkdirSync(path.join(copy, '.ci'));
    fs.copyFileSync(path.join(ROOT, '.ci', 'run'), path.join(copy, '.ci', 'run'));
  });
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));
  const ci = (arg: string) => spawnSync('bash', [path.join(copy, '.ci', 'run'), arg], { cwd: copy, encoding: 'utf8', timeout: 30_000 });

  test('when asked for --help, then what it does, exit 0, and nothing run', () => {
    const result = ci('--help');
    expect([result.status, lines(result.stdout)[0], result.stderr]).toEqual([0, expect.stringMatching(/^usage: \.ci\/run/), '']);
  });

  test('when given an argument it does not take, then the usage line and the argument named, exit 2', () => {
    const result = ci('--no-such-option');
    expect([result.status, lines(result.stderr), result.stdout]).toEqual([
      2,
      [expect.stringMatching(/^usage: \.ci\/run/), '.ci/run: unexpected argument --no-such-option'],
      '',
    ]);
  });
});

describe('the Heroku release task (scripts/targets/heroku/release-task.js)', () => {
  const task = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'targets', 'heroku', 'release-task.js'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });

  test('when asked for --help, then its usage, exit 0 (it looked for an app named --help)', () => {
    const result = task('--help');
    expect([result.status, lines(result.stdout)[0]]).toEqual([
      0,
      expect.stringMatching(/^usage: node scripts\/targets\/heroku\/release-task\.js <app>/),
    ]);
  });

  test('when the app is a path out of apps/, then it is no app, exit 2', () => {
    const result = task('../packages');
    expect([result.status, lines(result.stderr)]).toEqual([2, ['release-task: no app ../packages in apps/']]);
  });
});

describe('scripts/e2e against a local space started on other vars files', () => {
  const space = `novars-${process.pid}`;
  afterEach(() => fs.rmSync(path.join(ROOT, '.local', space), { recursive: true, force: true }));

  test('when the space has no vars/<space>.yml, then the journeys run without a local app host (e2e exited, unable to read it)', async () => {
    // A running space as its state file records it: this process stands in for its supervisor, on a port nothing listens to.
    const server = net.createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    server.close();
    fs.mkdirSync(path.join(ROOT, '.local', space), { recursive: true });
    fs.writeFileSync(
      path.join(ROOT, '.local', space, 'state.json'),
      JSON.stringify({ space, pid: process.pid, router_port: port, pids: [] }),
    );
    const result = await script('e2e', [`http://127.0.0.1:${port}`, '--only', 'versions']);
    // The journeys' own first check speaks (nothing listens there), not a vars file it could not read.
    expect([result.status, lines(result.stderr)]).toEqual([1, [`e2e: http://127.0.0.1:${port} does not answer (ECONNREFUSED)`]]);
  });
});

describe('.ci/login', () => {
  test('when given no target, then the usage line and a question naming the targets, exit 2', () => {
    const result = spawnSync('bash', [path.join(ROOT, '.ci', 'login')], { cwd: ROOT, encoding: 'utf8', timeout: 10_000 });
    expect([result.status, lines(result.stderr)]).toEqual([
      2,
      ['usage: .ci/login local|cf|heroku', 'login: which target? local, cf or heroku'],
    ]);
  });
});

describe('scripts/test on a machine without what the tests start', () => {
  let bin: string;
  beforeEach(() => {
    // node (the scripts run it) and a stand-in git: no redis-server, no chromium.
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'test-path-'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    fs.writeFileSync(path.join(bin, 'git'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  });
  afterEach(() => fs.rmSync(bin, { recursive: true, force: true }));

  test('when redis-server and chromium are missing, then exit 1 naming both with the line that installs them, and nothing runs', async () => {
    const result = await script('test', ['-e', 'platform'], { PATH: bin, CHROMIUM_PATH: '', REDIS_TEST_URL: '' });

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual(
      expect.arrayContaining([
        'test: missing: redis-server (service and platform tests start their own), chromium (the browser journey drives it); install with',
        'test:   Debian/Ubuntu: sudo apt-get install -y redis-server chromium',
      ]),
    );
  });
});
