import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { http, ROOT } from './helpers';

/**
 * The Procfile's router (dist/cli/router.js) refuses bad settings with one line on stderr
 * and exit 1, before it listens. Its happy path runs under a Procfile runner in
 * e2e/test/platform/procfile.test.ts.
 */

const CLI = join(ROOT, 'packages', 'platform', 'dist', 'cli', 'router.js');

/** The Procfile's process types, in its order (scripts/new-app appends an app's). */
const TYPES = readFileSync(join(ROOT, 'Procfile'), 'utf8')
  .split('\n')
  .map((line) => /^([A-Za-z0-9_-]+):/.exec(line)?.[1])
  .filter((type): type is string => type !== undefined);
/** The reference chat's process types, in their order. */
const REFERENCE_TYPES = ['router', 'ui', 'users', 'tokens', 'messages', 'worker', 'push'];

test('the Procfile holds the reference process types in their order, the router first', () => {
  expect(TYPES.filter((type) => REFERENCE_TYPES.includes(type))).toEqual(REFERENCE_TYPES);
  expect(TYPES[0]).toBe('router');
});

beforeAll(() => {
  const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'packages/platform/tsconfig.build.json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`building the platform failed: ${build.stdout}${build.stderr}`);
});

function run(env: Record<string, string>): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [CLI], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    encoding: 'utf8',
    timeout: 10_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('the Procfile router: bad settings', () => {
  test.each([
    [{ PORT: 'abc', ROUTES: '/=5100' }, 'router: PORT: expected a port number (0-65535), got "abc"'],
    [{ PORT: '8080x', ROUTES: '/=5100' }, 'router: PORT: expected a port number (0-65535), got "8080x"'],
    [{ PORT: '70000', ROUTES: '/=5100' }, 'router: PORT: expected a port number (0-65535), got "70000"'],
    [{ PORT: '0' }, 'router: ROUTES is empty: set it in .env (see .env.example)'],
    [{ PORT: '5006', ROUTES: '/=web' }, `router: ROUTES: no process type "web" in the Procfile (types: ${TYPES.join(', ')})`],
    [
      { PORT: '5006', ROUTES: '/=ui', FOREMAN_WORKER_NAME: 'gateway.1' },
      `router: ${join(ROOT, 'Procfile')}: process type "gateway" is not in the Procfile (types: ${TYPES.join(', ')})`,
    ],
    [{ PORT: '5006', ROUTES: '/=ui', PROCFILE: 'no-such-Procfile' }, `router: cannot read ${join(ROOT, 'no-such-Procfile')}: ENOENT`],
    [
      { PORT: '0', ROUTES: 'api=5200' },
      'router: ROUTES: expected /path=process-type (or /path=port) pairs separated by commas, got "api=5200"',
    ],
    [
      { PORT: '0', ROUTES: '/=5100,/api=99999' },
      'router: ROUTES: expected /path=process-type (or /path=port) pairs separated by commas, got "/api=99999"',
    ],
    [{ PORT: '0', ROUTES: '/=-ui' }, 'router: ROUTES: expected /path=process-type (or /path=port) pairs separated by commas, got "/=-ui"'],
    [
      { PORT: '0', ROUTES: '/=5100', ROUTER_MAX_BODY_BYTES: '1mb' },
      'router: ROUTER_MAX_BODY_BYTES: expected a positive whole number, got "1mb"',
    ],
    [
      { PORT: '0', ROUTES: '/=5100', ROUTER_HEADERS_TIMEOUT_MS: '90000' },
      'router: ROUTER_HEADERS_TIMEOUT_MS: expected at most ROUTER_REQUEST_TIMEOUT_MS (the headers are part of the request)',
    ],
  ])('when %j, then exit 1 and one line', (env, line) => {
    expect(run(env)).toEqual({ status: 1, stderr: `${line}\n` });
  });
});

describe('the Procfile router: a process not up yet', () => {
  test("when a route's process type does not answer (nf start still starting it), then the 502 names the process type, not its port", async () => {
    // The router on a free port, as a runner's first line; ui's port is 100 above it, where nothing listens.
    const base = await new Promise<number>((resolveBase) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolveBase(port));
      });
    });
    const router = spawn(process.execPath, [CLI], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PORT: String(base), ROUTES: '/=ui' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const port = await new Promise<number>((resolvePort, reject) => {
        let out = '';
        router.stdout.on('data', (chunk: Buffer) => {
          out += String(chunk);
          const found = /router: http:\/\/localhost:(\d+) /.exec(out);
          if (found) resolvePort(Number(found[1]));
        });
        router.once('exit', (code) => reject(new Error(`the router exited with ${code}: ${out}`)));
      });

      const reply = await http(port, '/');

      expect([reply.status, reply.json<{ error: { message: string } }>().error.message]).toEqual([
        502,
        'No instance of the app ui answered.',
      ]);
    } finally {
      router.kill('SIGTERM');
    }
  });
});
