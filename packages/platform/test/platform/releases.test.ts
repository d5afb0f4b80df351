/**
 * Immutable releases on the local platform: the space's first start and every push make a
 * release, a droplet under <dataDir>/releases/<version>/ that the instances (restarts
 * included) run from, never the working tree; the last RELEASES_KEPT are kept; a rollback is
 * a rolling replacement from an older droplet; a release task runs from the new droplet with
 * the app's bindings before any new instance, and when it fails the old release keeps serving.
 * The fixture bundle is copied into a temporary repository, so the test can "rebuild" it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocateTestDatabase } from '@bundle/kit/testing';
import { releasesOf, rollBackTo, rollingPush, Space } from '../../src';
import { FIXTURES, fixtureSpace, http, load, ROOT } from './helpers';

jest.setTimeout(180_000);

type Started = Awaited<ReturnType<typeof fixtureSpace>>;
let started: Started;
let repo: string;

const git = (...args: string[]): string => spawnSync('git', args, { cwd: repo, encoding: 'utf8' }).stdout.trim();

/** What the apps answer now, over enough requests to reach every instance (round robin). */
async function served(): Promise<string[]> {
  const versions = new Set<string>();
  for (let i = 0; i < 8; i += 1) versions.add((await http(started.port, '/api/x')).json<{ version: string }>().version);
  return [...versions];
}
const releasesDir = () => join(repo, '.local', 'releases', 'releases');
const kept = () => releasesOf(started.space).releases.map((release) => `${release.id}${release.current ? ' (current)' : ''}`);
const report = (what: string, result: { ok: number; failed: number }): void =>
  void process.stdout.write(`${what}: ${result.ok} ok, ${result.failed} failed\n`);

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), 'platform-releases-'));
  cpSync(FIXTURES, repo, { recursive: true });
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '-A'],
    ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'fixtures'],
  ])
    git(...args);
  started = await fixtureSpace({
    space: 'releases',
    root: repo,
    manifestFile: join(repo, 'manifest.yml'),
    varsFiles: [join(repo, 'vars.yml')],
    catalogueFile: join(ROOT, 'packages', 'platform', 'services.yml'),
    dataDir: join(repo, '.local', 'releases'),
    releasesKept: 3,
    redisUrl: await allocateTestDatabase(),
  });
});
afterAll(async () => {
  await started?.stop();
  rmSync(repo, { recursive: true, force: true });
});

describe('local releases', () => {
  test('when the space starts, then its first release is a droplet with the version, commit, manifest and vars, and every instance runs from it', () => {
    const [release] = releasesOf(started.space).releases;
    expect(release).toMatchObject({ id: '1.0.0', version: '1.0.0', commit: git('rev-parse', '--short', 'HEAD'), current: true });
    const droplet = join(releasesDir(), '1.0.0');
    expect(existsSync(join(droplet, 'app', 'server.js'))).toBe(true);
    expect(existsSync(join(droplet, 'manifest.yml'))).toBe(true);
    expect(JSON.parse(readFileSync(join(droplet, 'release.json'), 'utf8')).vars).toMatchObject({ version: '1.0.0', host: 'chat' });
    const paths = new Set([...started.space.slots.values()].map((slot) => slot.app.path));
    expect([...paths]).toEqual([join(droplet, 'app')]);
  });

  test('when the working tree is rebuilt, then nothing that runs changes, a restarted instance included, until the next push', async () => {
    const server = join(repo, 'app', 'server.js');
    writeFileSync(server, `process.env.APP_VERSION = 'rebuilt-' + process.env.APP_VERSION;\n${readFileSync(server, 'utf8')}`);
    const victim = started.space.slots.get('front/web/0')?.instance;
    const restarted = started.waitForLog(/^front \[API\/0\] web instance 0: restarted and ready/);
    victim?.signal('SIGKILL');
    await restarted;

    expect(await served()).toEqual(['1.0.0']);

    await rollingPush(started.space, { version: '1.0.1' });

    expect(await served()).toEqual(['rebuilt-1.0.1']);
    expect(kept()).toEqual(['1.0.1 (current)', '1.0.0']);
  });

  test('when the space rolls back to an older release under load, then no request fails and the older droplet serves', async () => {
    const rolling = rollBackTo(started.space, '1.0.0');
    const counts = await load(started.port, '/api/x', rolling, { concurrency: 8 });
    const result = await rolling;
    report('rollback under load', counts);

    expect([counts.failed, counts.errors]).toEqual([0, []]);
    expect(counts.ok).toBeGreaterThan(8);
    expect(result).toMatchObject({ release: '1.0.0', from: '1.0.1' });
    expect(await served()).toEqual(['1.0.0']);
    expect(kept()).toEqual(['1.0.1', '1.0.0 (current)']);
  });

  test('when a release task fails, then the push stops, no request fails, the old release keeps serving and the failed one is not kept', async () => {
    const task = join(repo, 'app', 'apps', 'front', 'dist', 'release.js');
    mkdirSync(join(task, '..'), { recursive: true });
    writeFileSync(task, "process.stderr.write('migration 7 failed: column exists\\n');\nprocess.exit(3);\n");
    const pushing = rollingPush(started.space, { version: '1.0.2' });
    const outcome = pushing.then(
      () => 'pushed',
      (error: Error) => error.message,
    );
    const counts = await load(started.port, '/api/x', outcome, { concurrency: 8 });

    expect(await outcome).toBe(
      'push stopped: the release task of front failed (exit 3: migration 7 failed: column exists); the running release keeps serving',
    );
    expect([counts.failed, [...counts.versions]]).toEqual([0, ['1.0.0']]);
    expect(kept()).toEqual(['1.0.1', '1.0.0 (current)']);
    expect(readdirSync(releasesDir()).sort()).toEqual(['1.0.0', '1.0.1']);
  });

  test('when a release task passes, then it ran from the new droplet with the app bindings, before any new instance', async () => {
    const task = join(repo, 'app', 'apps', 'front', 'dist', 'release.js');
    writeFileSync(
      task,
      "const bound = Object.values(JSON.parse(process.env.VCAP_SERVICES)).flat().map((b) => b.name).sort();\nconsole.log(`migrated ${process.env.APP_VERSION} in ${process.cwd()} with ${bound.join(',')}`);\n",
    );
    const before = started.logs.length;

    await rollingPush(started.space, { version: '1.0.2' });

    const lines = started.logs.slice(before).map((record) => `${record.app} [${record.source}] ${record.line}`);
    const ran = lines.findIndex((line) => line.startsWith('front [APP/TASK/release/0] migrated'));
    expect(lines[ran]).toBe(
      `front [APP/TASK/release/0] migrated 1.0.2 in ${join(releasesDir(), '1.0.2', 'app')} with service-credentials,users-db`,
    );
    expect(ran).toBeLessThan(lines.findIndex((line) => / pushed: ready/.test(line)));
    expect(await served()).toEqual(['rebuilt-1.0.2']);
  });

  test('when more releases are made than RELEASES_KEPT, then the oldest droplets go', async () => {
    await rollingPush(started.space, { version: '1.0.3' });

    expect(kept()).toEqual(['1.0.3 (current)', '1.0.2', '1.0.1']);
    expect(readdirSync(releasesDir()).sort()).toEqual(['1.0.1', '1.0.2', '1.0.3']);
  });

  test('when RELEASES_KEPT is not a number from 1, then the space does not start, with one line', async () => {
    const space = new Space({
      root: repo,
      space: 'bad',
      manifestFile: join(repo, 'manifest.yml'),
      routerPort: 0,
      env: { RELEASES_KEPT: '0' },
    });

    await expect(space.start()).rejects.toThrow(/^RELEASES_KEPT: expected how many releases a space keeps, 1 to 100, got "0"$/);
  });
});
