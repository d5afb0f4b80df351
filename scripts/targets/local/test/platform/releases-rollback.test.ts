/**
 * Releases and rollback on the local target, through the commands a person types, against
 * a production space of the real manifest in a copy of the project (its own free router
 * port, one instance of each process): scripts/releases lists the droplets the space keeps,
 * scripts/rollback replaces every instance from an older droplet with no failed request
 * under load, a version it keeps no release of is one line naming those it keeps; and the
 * pipeline undoes a production push whose smoke fails, with no failed request either.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { gitIn, makeProjectCopy, removeRepo, sh } from '../../../../lib/testing/throwaway-repo';

jest.setTimeout(300_000);

let copy: string;
let port: number;
const APPS = ['ui', 'users', 'tokens', 'messages', 'push'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as net.AddressInfo;
      server.close(() => resolve(free));
    });
  });
}

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script of the copy; resolves with its status and output. */
function runIn(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(path.join(copy, 'scripts', script), args, {
      cwd: copy,
      env: { ...process.env, ROUTER_PORT: '', FORCE_COLOR: '0', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** An app's /version through the space's router: "200 0.1.0", or the failure. */
function versionOf(app: string): Promise<string> {
  return new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/version', agent, headers: { Host: `chat-${app}.localhost` } }, (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          try {
            resolve(`${response.statusCode} ${JSON.parse(text).version}`);
          } catch {
            resolve(`${response.statusCode} ${text.slice(0, 80)}`);
          }
        });
      })
      .on('error', (error) => resolve(`error ${error.message}`));
  });
}

const versions = async () => Object.fromEntries(await Promise.all(APPS.map(async (app) => [app, await versionOf(app)])));
const everyApp = (answer: string) => Object.fromEntries(APPS.map((app) => [app, answer]));

/** Four loops of requests to every app in turn until `until` settles (at most 20,000): the answers that were not 200. */
async function failuresDuring(until: Promise<unknown>): Promise<{ ok: number; failed: string[] }> {
  let done = false;
  void until.finally(() => (done = true));
  const result = { ok: 0, failed: [] as string[] };
  let sent = 0;
  const loop = async (offset: number): Promise<void> => {
    while (!done && sent < 20_000) {
      const app = APPS[(sent + offset) % APPS.length] ?? 'ui';
      sent += 1;
      const answer = await versionOf(app);
      if (answer.startsWith('200 ')) result.ok += 1;
      else result.failed.push(`${app}: ${answer}`);
    }
  };
  await Promise.all([0, 1, 2, 3].map(loop));
  return result;
}

/** scripts/releases production, as rows: "version current". */
async function releaseRows(): Promise<string[]> {
  const result = await runIn('releases', ['production']);
  expect([result.status, result.stderr]).toEqual([0, '']);
  return result.stdout
    .trim()
    .split('\n')
    .slice(2)
    .map((line) => line.split(/\s{2,}/))
    .map(([version, , , current]) => `${version}${current === 'current' ? ' current' : ''}`);
}

const setVersion = (version: string) => {
  const file = path.join(copy, 'package.json');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"version": "[^"]+"/, `"version": "${version}"`));
  gitIn(copy, 'commit', '-q', '-am', `Release v${version}`);
};

beforeAll(async () => {
  copy = makeProjectCopy();
  port = await freePort();
  const file = path.join(copy, 'vars', 'production.yml');
  fs.writeFileSync(
    file,
    fs
      .readFileSync(file, 'utf8')
      .replace(/^router_port: .*$/m, `router_port: ${port}`)
      .replace(/^web_instances: .*$/m, 'web_instances: 1'),
  );
  gitIn(copy, 'commit', '-q', '-am', 'production on a free port, one instance each');
  const started = await runIn('start', ['production', '--detach']);
  expect(`${started.stdout}${started.stderr}\nexit ${started.status}`).toMatch(/\nexit 0$/);
}, 240_000);

afterAll(() => {
  if (!copy) return;
  sh(path.join(copy, 'scripts', 'stop'), ['production'], copy);
  removeRepo(copy);
}, 60_000);

describe('scripts/releases and scripts/rollback --target local', () => {
  test('when the space has started and then taken a push, then both releases are listed, the pushed one current, each a droplet', async () => {
    expect(await releaseRows()).toEqual(['0.1.0 current']);
    setVersion('0.1.1');

    const pushed = await runIn('push', ['production', '--target', 'local']);

    expect(`${pushed.stderr}\nexit ${pushed.status}`).toMatch(/\nexit 0$/);
    expect(await releaseRows()).toEqual(['0.1.1 current', '0.1.0']);
    for (const version of ['0.1.0', '0.1.1']) {
      const droplet = path.join(copy, '.local', 'production', 'releases', version);
      expect(fs.existsSync(path.join(droplet, 'apps', 'ui', 'dist', 'main.js'))).toBe(true);
      // The apps require the kit of their own droplet, not the working tree's.
      expect(fs.realpathSync(path.join(droplet, 'node_modules', '@bundle', 'kit'))).toBe(
        path.join(fs.realpathSync(droplet), 'packages', 'kit'),
      );
    }
    expect(await versions()).toEqual(everyApp('200 0.1.1'));
  });

  test('when --to names a version the space keeps no release of, then one line naming those it keeps, exit 1', async () => {
    const result = await runIn('rollback', ['production', '--to', '9.9.9']);

    expect([result.status, result.stderr]).toEqual([1, 'rollback: production has no release 9.9.9 (its releases: 0.1.1, 0.1.0)\n']);
  });

  test('when rolled back under load, then no request fails and every app serves the release before', async () => {
    const rolling = runIn('rollback', ['production']);
    const load = await failuresDuring(rolling);
    const result = await rolling;

    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout.trim().split('\n').pop()).toMatch(/^rollback: production serves 0\.1\.0 again \(it served 0\.1\.1; \d+\.\ds\)$/);
    expect(load.failed).toEqual([]);
    expect(load.ok).toBeGreaterThan(APPS.length);
    expect(await versions()).toEqual(everyApp('200 0.1.0'));
    expect(await releaseRows()).toEqual(['0.1.1', '0.1.0 current']);
  });
});

describe('scripts/pipeline --target local, when the production smoke fails', () => {
  test('then production rolls back to the release it served before the push, with no failed request, and the pipeline fails naming both', async () => {
    setVersion('0.1.2');
    const closed = `http://127.0.0.1:${await freePort()}`;

    const running = runIn('pipeline', ['--target', 'local', '--from', 'push-production'], { E2E_PRODUCTION_URL: closed });
    const load = await failuresDuring(running);
    const result = await running;

    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n').pop()).toBe(
      'pipeline: stopped at smoke-production: the production journeys failed (exit 1); production rolled back from 0.1.2 to 0.1.0',
    );
    expect(result.stdout).toMatch(/^pipeline: production serves 0\.1\.0 before the push$/m);
    expect(load.failed).toEqual([]);
    expect(await versions()).toEqual(everyApp('200 0.1.0'));
    expect(await releaseRows()).toEqual(['0.1.2', '0.1.1', '0.1.0 current']);
  });
});
