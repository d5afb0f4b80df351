import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INSTALL_REDIS, Space } from '../../src';
import { FIXTURES, ROOT } from './helpers';

jest.setTimeout(120_000);

const APP = join(FIXTURES, 'app');
const good = (extra = '') =>
  [
    'applications:',
    '  - name: web',
    `    path: ${APP}`,
    '    command: exec node server.js',
    '    memory: 64M',
    '    services: [users-db]',
    '    routes:',
    '      - route: ((host)).localhost',
    extra,
  ].join('\n');

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'platform-bad-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Starts a space from `manifest`; expects one line and nothing left running. */
async function refused(manifest: string, options: { vars?: string; env?: NodeJS.ProcessEnv; routerPort?: number } = {}): Promise<string> {
  writeFileSync(join(dir, 'manifest.yml'), manifest);
  writeFileSync(join(dir, 'vars.yml'), options.vars ?? 'host: chat\n');
  const space = new Space({
    root: ROOT,
    space: 'bad',
    manifestFile: join(dir, 'manifest.yml'),
    varsFiles: [join(dir, 'vars.yml')],
    routerPort: options.routerPort ?? 0,
    dataDir: join(dir, 'data'),
    env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:1', ...options.env },
  });
  const error = await space.start().then(
    () => undefined,
    (thrown: Error) => thrown,
  );
  expect(error).toBeInstanceOf(Error);
  expect([space.slots.size, space.router?.server.listening ?? false]).toEqual([0, false]);
  expect(error?.message).not.toContain('\n');
  return (error?.message ?? '').replace(`${dir}/`, '');
}

describe('scripts/start with bad input', () => {
  test('when the manifest has a YAML error, then its line and column', async () => {
    expect(await refused(good().replace('memory: 64M', 'memory: [64M'))).toMatch(/^manifest\.yml:\d+:\d+: YAML error: /);
  });

  test('when an app has an unknown key, then the key, line and column', async () => {
    expect(await refused(good('    size: large'))).toMatch(/^manifest\.yml:9:5: unknown key "size" in an app$/);
  });

  test('when an app path does not exist, then the path', async () => {
    expect(await refused(good().replace(APP, `${APP}-missing`))).toMatch(/: app web: path .*app-missing does not exist$/);
  });

  test('when two apps claim the same route, then both names', async () => {
    const second = good().replace('applications:\n', '').replace('name: web', 'name: other');
    expect(await refused(`${good()}\n${second}`)).toMatch(/: route chat\.localhost is claimed by both web and other$/);
  });

  test('when memory is not a size, then the value', async () => {
    expect(await refused(good().replace('64M', 'lots'))).toMatch(/: app web \(web\): memory "lots" is not a size \(e\.g\. 128M, 1G\)$/);
  });

  test('when a service is one no binding provides, then its name', async () => {
    expect(await refused(good().replace('[users-db]', '[users-db, mail]'))).toMatch(
      /^manifest\.yml: app web binds service "mail", which no binding provides/,
    );
  });

  test('when the vars file misses a variable, then the variable and the file', async () => {
    expect(await refused(good(), { vars: 'other: 1\n' })).toMatch(/^manifest\.yml:8:16: \(\(host\)\) is not defined in .*vars\.yml$/);
  });

  test('when the router port is in use, then the port', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      expect(await refused(good(), { routerPort: port })).toBe(
        `port ${port} is already in use (is this space already running? see scripts/status; or set ROUTER_PORT)`,
      );
    } finally {
      server.close();
    }
  });

  test('when the memory check interval is not 0 or at least 100 ms, then the setting and the value', async () => {
    expect(await refused(good(), { env: { MEMORY_CHECK_INTERVAL_MS: '5' } })).toBe(
      'MEMORY_CHECK_INTERVAL_MS: expected 0 (no memory check) or milliseconds from 100, got "5"',
    );
  });

  test('when no redis-server is installed and no REDIS_URL is set, then how to install one or what to set', async () => {
    expect(await refused(good(), { env: { REDIS_URL: '', PATH: dir } })).toBe(INSTALL_REDIS);
  });
});

describe('the local push command (dist/cli/push.js)', () => {
  const push = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'packages', 'platform', 'dist', 'cli', 'push.js'), ...args], {
      encoding: 'utf8',
      timeout: 30_000,
    });

  test('when asked for --help, then its usage, what it does and what each option is for (the help had blank lines where these go)', () => {
    const help = push('--help');
    expect([
      help.status,
      help.stdout
        .split('\n')
        .filter((line) => /^ {2}--(version|app|var) /.test(line))
        .every((line) => /\S {2,}\S/.test(line.trim())),
    ]).toEqual([0, true]);
    expect(help.stdout).toMatch(/^usage: node packages\/platform\/dist\/cli\/push\.js <space> /);
    expect(help.stdout).toContain('A rolling push to a running local space');
  });

  test('when given no space or a space name that is a path, then the usage line and one line, exit 2', () => {
    const none = push();
    const path = push('../x');
    expect([none.status, none.stderr.trim().split('\n')[1], path.status, path.stderr.trim().split('\n')[1]]).toEqual([
      2,
      'push: which space? e.g. push staging --version 1.2.3',
      2,
      'push: space "../x": a space name is lower-case letters, digits and dashes',
    ]);
  });
});
