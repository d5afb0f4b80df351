/**
 * scripts/new-app notes --postgres and scripts/remove-app notes in a throwaway copy of the
 * project: the app's own tests pass against a PostgreSQL its test run starts (never the
 * machine's), the deploy files agree, every target creates and binds its database and runs its
 * migrations before traffic (the dry runs), and removing it leaves the tree as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gitIn, makeProjectCopy, removeRepo, sh, type Ran } from '../../../lib/testing/throwaway-repo';

let dir: string;
beforeAll(() => {
  dir = makeProjectCopy();
});
afterAll(() => removeRepo(dir));

/** The copy's own commands; the child jest starts its own Redis and PostgreSQL (this run's are not passed on). */
const run = (command: string, ...args: string[]): Ran =>
  sh(command, args, dir, { FORCE_COLOR: '0', REDIS_TEST_URL: '', POSTGRES_TEST_DIR: '' });
const script = (name: string, ...args: string[]): Ran => run(path.join(dir, 'scripts', name), ...args);
const lines = (text: string) => text.split('\n').filter(Boolean);

describe('scripts/new-app notes --postgres, then scripts/remove-app notes', () => {
  test('when --postgres comes with --redis or --worker, then the usage line and one line why, and nothing changes', () => {
    const redis = script('new-app', 'notes', '--postgres', '--redis', 'notes-cache');
    const worker = script('new-app', 'notes', '--postgres', '--worker');
    expect([redis.status, lines(redis.stderr), worker.status, lines(worker.stderr)[1]]).toEqual([
      2,
      [expect.stringMatching(/^usage: scripts\/new-app /), 'new-app: --postgres and --redis: pick one'],
      2,
      'new-app: --postgres makes an app with a route and no worker (--worker and --no-route are for Redis apps)',
    ]);
    expect(gitIn(dir, 'status', '--porcelain')).toBe('');
  });

  test('when made, then the deploy files name its database everywhere and agree', () => {
    const made = script('new-app', 'notes', '--postgres');
    expect([made.status, made.stderr]).toEqual([0, '']);
    const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
    expect({
      migration: fs.readdirSync(path.join(dir, 'apps', 'notes', 'migrations')),
      release: fs.existsSync(path.join(dir, 'apps', 'notes', 'src', 'release.ts')),
      marketplace: read('packages/platform/services.yml').includes('\nnotes-db: { type: postgres }\n'),
      env: read('.env.example').includes('\nNOTES_DB_URL=postgresql://postgres@127.0.0.1:5432/notes\n'),
      vars: ['staging', 'production'].map((space) => /^postgres_offering: \S+\npostgres_plan: \S+$/m.test(read(`vars/${space}.yml`))),
      heroku: JSON.parse(read('heroku.json')).postgres_plan,
      procfile: read('heroku/notes.Procfile').includes('release: node scripts/targets/heroku/release-task.js notes'),
    }).toEqual({
      migration: ['20260101000000000_create-items.sql'],
      release: true,
      marketplace: true,
      env: true,
      vars: [true, true],
      heroku: 'heroku-postgresql:essential-0',
      procfile: true,
    });
    const check = run(process.execPath, path.join(dir, 'scripts', 'commands', 'bundle-check.js'));
    expect([check.status, check.stdout.trim()]).toEqual([0, 'bundle-check: the deploy files agree']);
  });

  test('when its tests run, then they pass against a PostgreSQL of the run’s own', () => {
    const tests = run(path.join(dir, 'node_modules', '.bin', 'jest'), '--selectProjects', 'unit', 'service', '--', 'apps/notes');
    expect([tests.status, tests.stderr.match(/^Tests: .*$/m)?.[0], tests.status === 0 ? '' : tests.stderr.slice(-3000)]).toEqual([
      0,
      expect.stringMatching(/^Tests: +\d+ passed, \d+ total$/),
      '',
    ]);
  }, 600_000);

  test('when provisioned and pushed (dry runs), then cf and Heroku create its database and the release task runs before traffic', () => {
    const cf = lines(script('provision', 'staging', '--target', 'cf', '--dry-run').stdout);
    const heroku = lines(script('provision', 'staging', '--target', 'heroku', '--dry-run').stdout);
    const push = lines(script('push', 'staging', '--target', 'cf', '--dry-run').stdout).filter((line) => /\bnotes\b/.test(line));
    expect(cf).toContain('cf create-service postgresql small notes-db --wait');
    expect(heroku).toContain(
      'heroku addons:create heroku-postgresql:essential-0 -a chat-notes-staging --name chat-notes-db-staging --as DATABASE --wait',
    );
    // The migration runs as a task on the new droplet; only then is that droplet set and restarted.
    const task = push.findIndex((line) => line.includes('"command":"node apps/notes/dist/release.js"'));
    const setDroplet = push.findIndex((line) => line.startsWith('cf set-droplet notes '));
    expect([task >= 0, setDroplet > task]).toEqual([true, true]);
  });

  test('when removed, then the tree is as it was', () => {
    const removed = script('remove-app', 'notes');
    expect([removed.status, removed.stderr]).toEqual([0, '']);
    expect(gitIn(dir, 'status', '--porcelain')).toBe('');
  });
});
