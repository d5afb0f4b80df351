/**
 * The pipeline undoes a bad production push: push-production notes the release production
 * serves (the target's releases verb), and when smoke-production fails, production rolls
 * back to it (the target's rollback verb) and the pipeline fails naming both versions. Here
 * on Heroku against the fake heroku (lib/testing/fake-paas.ts): production is promoted from
 * staging, each app's /version answers from a stub (heroku.json web_urls), and the smoke's
 * base URL (E2E_PRODUCTION_URL) does not answer. (The same on the local platform, with
 * production serving the old version and no failed request, is the local target's test.)
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { gitIn, makeThrowawayRepo, removeRepo } from '../../../lib/testing/throwaway-repo';
import { fake, type Seed } from '../../../lib/testing/fake-paas';
import { herokuSeed } from '../../../lib/testing/day-two-seed';
import { herokuAppsOf } from '../../../lib/testing/bundle-apps';

const lines = (text: string) => text.split('\n').filter(Boolean);

/** Staging built release commits 1.0.0 then 1.0.1 (tagged as scripts/bump tags them); production was promoted 1.0.0 and serves it. */
function seed(repo: string): Seed {
  const a = { version: '1.0.0', commit: gitIn(repo, 'rev-parse', 'HEAD') };
  gitIn(repo, 'tag', '-a', 'v1.0.0', '-m', 'v1.0.0');
  gitIn(repo, 'commit', '-q', '--allow-empty', '-m', 'Release v1.0.1');
  gitIn(repo, 'tag', '-a', 'v1.0.1', '-m', 'v1.0.1');
  const b = { version: '1.0.1', commit: gitIn(repo, 'rev-parse', 'HEAD') };
  return { apps: { ...herokuSeed([a, b], ['staging']).apps, ...herokuSeed([a], ['production']).apps } };
}

/** A server answering /version with `version` for every app; and a port nothing listens on. */
async function servers(version: string): Promise<{ url: string; closed: string; close: () => Promise<void> }> {
  const server = http.createServer((_request, response) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version })),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const spare = net.createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  const closedPort = (spare.address() as net.AddressInfo).port;
  await new Promise((resolve) => spare.close(resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    closed: `http://127.0.0.1:${closedPort}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('scripts/pipeline --target heroku, when the production smoke fails', () => {
  test('then production rolls back to the release it served before the push, and the pipeline fails naming both', async () => {
    const repo = makeThrowawayRepo([
      'scripts',
      'packages/args',
      'packages/platform',
      'manifest.yml',
      'vars',
      'package.json',
      'heroku.json',
      'heroku',
      'e2e',
      '.cfignore',
    ]);
    const version = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).version as string;
    const stub = await servers(version);
    try {
      // Each production app answers the pushed version on its own web URL: the push itself passes.
      const config = JSON.parse(fs.readFileSync(path.join(repo, 'heroku.json'), 'utf8'));
      config.web_urls = Object.fromEntries(Object.values(herokuAppsOf('production', repo)).map((name) => [name, stub.url]));
      fs.writeFileSync(path.join(repo, 'heroku.json'), JSON.stringify(config, null, 2));
      const heroku = fake();
      heroku.seed(seed(repo));

      const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(path.join(repo, 'scripts', 'pipeline'), ['--target', 'heroku', '--from', 'push-production'], {
          cwd: repo,
          env: { ...heroku.env, E2E_PRODUCTION_URL: stub.closed, FORCE_COLOR: '0' },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk) => (stdout += chunk));
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });

      expect(result.status).toBe(1);
      expect(lines(result.stderr).pop()).toBe(
        `pipeline: stopped at smoke-production: the production journeys failed (exit 1); production rolled back from 1.0.1 to 1.0.0`,
      );
      expect(result.stdout).toMatch(/^pipeline: production serves 1.0.0 before the push$/m);
      const names = Object.values(herokuAppsOf('production', repo));
      const calls = heroku.calls().map((call) => call.slice(1).join(' '));
      // Promoted (the apps, then the gateway), then (after the failed smoke) each app back to its
      // release of 1.0.0, the last app first; the gateway, which changes only with the routes, stays.
      expect(calls.filter((call) => call.startsWith('pipelines:promote'))).toHaveLength(names.length + 1);
      expect(calls.filter((call) => call.startsWith('releases:rollback'))).toEqual(
        [...names].reverse().map((name) => `releases:rollback v2 -a ${name}`),
      );
      expect(calls.findIndex((call) => call.startsWith('releases:rollback'))).toBeGreaterThan(
        calls.findIndex((call) => call.startsWith('pipelines:promote')),
      );
      // Production's current releases are of 1.0.0's slugs again.
      for (const name of names)
        expect(heroku.state().apps![name]!.releases!.find((release) => release.current)?.slug?.id).toMatch(/-1\.0\.0$/);
    } finally {
      await stub.close();
      removeRepo(repo);
    }
  });
});
