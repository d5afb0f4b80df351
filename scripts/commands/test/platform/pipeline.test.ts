/**
 * The whole delivery pipeline on this machine: a copy of the project as a fresh git
 * repository, its staging and production spaces on free ports (so a developer's running
 * spaces are left alone), `scripts/pipeline --target local` end to end; then a build whose
 * users app never gets ready stops at staging, and production keeps answering the old version.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { gitIn, makeProjectCopy, removeRepo, sh } from '../../../lib/testing/throwaway-repo';
import { manifestAppNames, only, REFERENCE_APPS } from '../../../lib/testing/bundle-apps';

let copy: string;
const ports: Record<string, number> = {};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a script in the copy, echoing nothing; resolves with its status and output. */
function runIn(dir: string, script: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(dir, 'scripts', script), args, { cwd: dir, env: { ...process.env, ROUTER_PORT: '', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** What an app answers on /version through a space's router (its own host name). */
function versionOf(space: string, app: string): Promise<string> {
  const host = space === 'production' ? 'chat' : 'chat-staging';
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: ports[space], path: '/version', headers: { Host: `${host}-${app}.localhost` } }, (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve(`${response.statusCode} ${JSON.parse(text).version}`));
      })
      .on('error', reject);
  });
}

/** Every app of the manifest (the reference chat's five among them) answers the new version. */
const APPS = manifestAppNames();
const versions = async (space: string) =>
  Object.fromEntries(await Promise.all(APPS.map(async (app) => [app, await versionOf(space, app)])));
const everyApp = (answer: string) => Object.fromEntries(APPS.map((app) => [app, answer]));
/** How many instances the manifest gives a space: each process of each app, at the space's vars. */
const instancesOf = (space: string) => {
  const vars = fs.readFileSync(path.join(copy, 'vars', `${space}.yml`), 'utf8');
  const count = (name: string) => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(vars)?.[1]);
  const manifest = fs.readFileSync(path.join(copy, 'manifest.yml'), 'utf8');
  return [...manifest.matchAll(/instances: \(\((\w+)\)\)/g)].reduce((sum, match) => sum + count(match[1] ?? ''), 0);
};
const rootVersion = () => JSON.parse(fs.readFileSync(path.join(copy, 'package.json'), 'utf8')).version as string;

beforeAll(async () => {
  copy = makeProjectCopy();
  for (const space of ['staging', 'production']) {
    ports[space] = await freePort();
    const file = path.join(copy, 'vars', `${space}.yml`);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^router_port: .*$/m, `router_port: ${ports[space]}`));
  }
  gitIn(copy, 'commit', '-q', '-am', 'spaces on free ports for the pipeline test');
}, 60_000);

afterAll(async () => {
  if (!copy) return;
  for (const space of ['staging', 'production']) sh(path.join(copy, 'scripts', 'stop'), [space], copy);
  removeRepo(copy);
}, 60_000);

describe('scripts/pipeline --target local', () => {
  test('when the working tree has changes and the bump stage is to run, then the pipeline stops before its first stage, naming them (the test stage ran for minutes first)', async () => {
    fs.writeFileSync(path.join(copy, 'uncommitted.txt'), 'a change\n');
    try {
      const result = await runIn(copy, 'pipeline', ['--target', 'local', '--test-env', 'lint', '--to', 'bump']);
      expect([result.status, result.stderr.trim(), result.stdout.includes('▶')]).toEqual([
        1,
        'pipeline: the working tree is not clean (1 changed: uncommitted.txt), and the bump stage commits a release; commit or stash first',
        false,
      ]);
    } finally {
      fs.rmSync(path.join(copy, 'uncommitted.txt'));
    }
  });

  test('when run from a clean checkout, then every stage passes and both spaces answer the new version', async () => {
    const before = rootVersion();
    expect(only(APPS, REFERENCE_APPS)).toEqual(REFERENCE_APPS);

    // The test stage runs only the unit environment: the default (every environment) would
    // include the platform tests, this file among them, and so run the pipeline inside itself.
    const result = await runIn(copy, 'pipeline', ['--target', 'local', '--test-env', 'unit']);

    const next = rootVersion();
    // On failure the received text shows the last lines: which stage stopped and why.
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n');
    expect(`${tail}\nexit status ${result.status}`).toMatch(/\nexit status 0$/);
    expect(next).not.toBe(before);
    for (const stage of ['test', 'bump', 'push-staging', 'e2e-staging', 'push-production', 'smoke-production']) {
      expect(result.stdout).toMatch(new RegExp(`^${stage.padEnd(18)} pass {5}\\d+\\.\\ds$`, 'm'));
    }
    expect(await versions('staging')).toEqual(everyApp(`200 ${next}`));
    expect(await versions('production')).toEqual(everyApp(`200 ${next}`));
    expect(gitIn(copy, 'describe', '--tags', '--exact-match')).toBe(`v${next}`);
    // The summary ends with what it left running on this machine and how to stop it.
    const [left, stop] = result.stdout.trim().split('\n').slice(-2);
    expect(left).toMatch(/^pipeline: left running: staging \((\d+) instances, \d+ MB\), production \((\d+) instances, \d+ MB\)$/);
    expect(/staging \((\d+)/.exec(left ?? '')?.[1]).toBe(String(instancesOf('staging')));
    expect(stop).toBe('pipeline: stop them with: scripts/stop staging; scripts/stop production (or run the pipeline with --stop-after)');
  }, 300_000);

  test('when the users app of the new build never gets ready, then the pipeline stops at push-staging and production keeps the old version', async () => {
    const deployed = rootVersion();
    // The broken build: users points at a Redis that does not exist, so /ready fails.
    const main = path.join(copy, 'apps', 'users', 'src', 'main.ts');
    fs.writeFileSync(main, `process.env.USERS_DB_URL = 'redis://127.0.0.1:1';\n${fs.readFileSync(main, 'utf8')}`);
    gitIn(copy, 'commit', '-q', '-am', 'a users build that never gets ready');

    // From bump: the tests passed in the run above, and the broken build fails no test.
    const result = await runIn(copy, 'pipeline', ['--target', 'local', '--from', 'bump']);

    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n').pop()).toMatch(/^pipeline: stopped at push-staging: the push to staging failed \(exit 1\)$/);
    // The push says why in one line: the new users instance never got ready.
    expect(result.stderr).toMatch(
      /^push: the rolling push to staging failed, the old instances keep serving: push stopped: users web instance 0 was not ready within \d+ s/m,
    );
    expect(result.stdout).toMatch(/^e2e-staging +not run +-$/m);
    expect(result.stdout).toMatch(/^push-production +not run +-$/m);
    expect(result.stdout).toMatch(/^smoke-production +not run +-$/m);
    expect(await versions('production')).toEqual(everyApp(`200 ${deployed}`));
    // Staging's old instances keep serving too: a failed rolling push replaces nothing it cannot.
    expect((await versions('staging')).users).toBe(`200 ${deployed}`);
  }, 240_000);
});
