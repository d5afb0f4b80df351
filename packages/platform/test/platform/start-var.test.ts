/**
 * scripts/start's --var reaches the router port as it reaches every other manifest
 * variable: `--var router_port=N` beats ROUTER_PORT and the vars file. A port held by
 * this test shows which port the space tried, without starting any app.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT } from './helpers';

function start(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'scripts', 'start'), args, { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0', ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

const space = `var-port-${process.pid}`;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'start-var-'));
  writeFileSync(
    join(dir, 'manifest.yml'),
    [
      'applications:',
      '  - name: web',
      `    path: ${join(FIXTURES, 'app')}`,
      '    command: exec node server.js',
      '    memory: 64M',
      '    routes:',
      '      - route: ((host)).localhost',
      '',
    ].join('\n'),
  );
});

/** A server holding a free port on 127.0.0.1, so whoever tries that port finds it in use. */
async function holdPort(): Promise<{ port: number; close: () => void }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(ROOT, '.local', space), { recursive: true, force: true });
});

describe('scripts/start --var router_port', () => {
  test('when --var router_port names a port, then the router takes that one rather than ROUTER_PORT or the vars file', async () => {
    // Every candidate port is held: whichever the space picks, it stops at once and names it.
    const [wanted, fromEnv, fromFile] = [await holdPort(), await holdPort(), await holdPort()];
    writeFileSync(join(dir, 'vars.yml'), `host: chat\nrouter_port: ${fromFile.port}\n`);
    try {
      const args = [
        space,
        '--manifest',
        join(dir, 'manifest.yml'),
        '--vars-file',
        join(dir, 'vars.yml'),
        '--var',
        `router_port=${wanted.port}`,
      ];
      const result = await start(args, { ROUTER_PORT: String(fromEnv.port), REDIS_URL: 'redis://127.0.0.1:1' });

      expect(result).toEqual({
        status: 1,
        stderr: `start: port ${wanted.port} is already in use (is this space already running? see scripts/status; or set ROUTER_PORT)\n`,
      });
    } finally {
      for (const holder of [wanted, fromEnv, fromFile]) holder.close();
    }
  });

  test('when --var router_port is not a port, then the usage line and the value, exit 2', async () => {
    const result = await start([space, '--var', 'router_port=eighty'], {});

    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(/^usage: scripts\/start /),
      'start: --var router_port=eighty: expected a port number (0-65535)',
      '',
    ]);
  });
});
