/**
 * The day-two commands with --target heroku, run for real against the fake heroku
 * (lib/testing/fake-paas.ts, fixtures/fake-day-two.js), which answers as the Heroku CLI
 * (npm heroku 11.10.0) does: releases --json as the Platform API's release objects.
 */
import path from 'node:path';
import { ROOT, sh } from '../../../../lib/testing/throwaway-repo';
import { fake, type Fake } from '../../../../lib/testing/fake-paas';
import { herokuSeed } from '../../../../lib/testing/day-two-seed';
import { herokuAppsOf } from '../../../../lib/testing/bundle-apps';

const run = (heroku: Fake, command: string, ...args: string[]) =>
  sh(path.join(ROOT, 'scripts', command), ['--target', 'heroku', ...args], ROOT, heroku.env);
const lines = (text: string) => text.split('\n').filter(Boolean);
const callsOf = (heroku: Fake, command: string) =>
  heroku
    .calls()
    .filter((call) => call[1] === command)
    .map((call) => call.slice(1).join(' '));
/** Two builds whose commits this checkout does not have: their versions are the commits themselves. */
const BUILDS = [
  { version: '1.0.0', commit: 'aaaaaaa1111111' },
  { version: '1.0.1', commit: 'bbbbbbb2222222' },
];

function seeded(): Fake {
  const heroku = fake();
  heroku.seed(herokuSeed(BUILDS));
  return heroku;
}

describe('scripts/releases --target heroku', () => {
  test("when staging built two commits, then production's promoted releases get them through their slugs; newest first, the last current", () => {
    const heroku = seeded();
    const result = run(heroku, 'releases', 'production');

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const rows = lines(result.stdout).slice(2);
    expect(rows.map((line) => line.split(/\s{2,}/)[0])).toEqual(['bbbbbbb2', 'aaaaaaa1']);
    expect(rows[0]).toMatch(/^bbbbbbb2 +bbbbbbb +2026-12-01 10:11:00 UTC +current +users v3, /);
    // Each production app's releases, then its staging app's for the commits of promoted slugs.
    expect(callsOf(heroku, 'releases')).toContain('releases -a chat-users-production --json -n 30');
    expect(callsOf(heroku, 'releases')).toContain('releases -a chat-users-staging --json -n 30');
  });
});

describe('scripts/rollback --target heroku', () => {
  test('when no version is named, then heroku releases:rollback vN per app, each to its release of the previous commit, the last app first', () => {
    const heroku = seeded();
    const result = run(heroku, 'rollback', 'production');

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const names = Object.values(herokuAppsOf('production'));
    expect(callsOf(heroku, 'releases:rollback')).toEqual([...names].reverse().map((name) => `releases:rollback v2 -a ${name}`));
    expect(lines(result.stdout).pop()).toMatch(/^rollback: production serves aaaaaaa1 again \(it served bbbbbbb2; \d+\.\ds\)$/);
  });

  test('when --to names a version there is none of, then one line naming those there are, and nothing rolled back', () => {
    const heroku = seeded();
    const result = run(heroku, 'rollback', 'production', '--to', '9.9.9');

    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 1,
      stderr: 'rollback: production has no release 9.9.9 (its releases: bbbbbbb2, aaaaaaa1)\n',
    });
    expect(callsOf(heroku, 'releases:rollback')).toEqual([]);
  });
});

describe('scripts/run-task, restart, scale, env, set-env, create-service --target heroku', () => {
  test('run-task: heroku run -a APP --exit-code -- the command, its exit code passed through', () => {
    const heroku = fake();
    heroku.seed({ ...herokuSeed(BUILDS, ['staging']), runExit: 4 });

    const result = run(heroku, 'run-task', 'staging', 'users', '--name', 'fix', '--', 'node', 'apps/users/dist/fix.js', '--all');

    expect(callsOf(heroku, 'run')).toEqual(['run -a chat-users-staging --exit-code -- node apps/users/dist/fix.js --all']);
    expect(result.stdout).toMatch(/^ran: node apps\/users\/dist\/fix\.js --all$/m);
    expect({ status: result.status, last: lines(result.stderr).pop() }).toEqual({
      status: 4,
      last: 'run-task: task fix of users in staging failed with exit 4',
    });
  });

  test('restart and scale: heroku ps:restart per app; heroku ps:scale TYPE=N', () => {
    const heroku = seeded();
    const restarted = run(heroku, 'restart', 'staging');
    const scaled = run(heroku, 'scale', 'staging', 'messages', '--process', 'worker', '-i', '2');

    expect([restarted.status, scaled.status]).toEqual([0, 0]);
    expect(callsOf(heroku, 'ps:restart')).toEqual(Object.values(herokuAppsOf('staging')).map((name) => `ps:restart -a ${name}`));
    expect(callsOf(heroku, 'ps:scale')).toEqual(['ps:scale worker=2 -a chat-messages-staging']);
    expect(heroku.state().apps!['chat-messages-staging']!.formation).toEqual({ worker: 2 });
  });

  test('env and set-env: the config vars masked; config:set run quietly, its printed step hiding the secret, and it says heroku restarts now', () => {
    const heroku = seeded();
    const set = run(heroku, 'set-env', 'staging', 'users', 'LOG_LEVEL=debug', 'SERVICE_KEY=s3cret-value');
    const shown = run(heroku, 'env', 'staging', 'users');

    expect({ status: set.status, stderr: set.stderr }).toEqual({ status: 0, stderr: '' });
    expect(callsOf(heroku, 'config:set')).toEqual(['config:set -a chat-users-staging LOG_LEVEL=debug SERVICE_KEY=s3cret-value']);
    expect(set.stdout).not.toMatch(/s3cret-value/);
    expect(lines(set.stdout)).toEqual([
      'set-env: $ heroku config:set -a chat-users-staging LOG_LEVEL=debug SERVICE_KEY=<hidden>',
      "set-env: set LOG_LEVEL, SERVICE_KEY on users in staging (heroku): heroku restarts chat-users-staging's dynos with them now (a config change is a new release: scripts/releases staging --target heroku)",
    ]);
    expect(lines(shown.stdout)).toEqual(['LOG_LEVEL=debug', 'SERVICE_KEY=<hidden>']);
  });

  test('create-service: an add-on of its own on the first app that binds it, attached under the binding; a binding provision attached is left alone', () => {
    const heroku = seeded();
    heroku.seed({ ...herokuSeed(BUILDS, ['staging']) });
    const state = heroku.state();
    state.apps!['chat-users-staging']!.config = { USERS_DB_URL: 'rediss://fake:6379' };
    heroku.seed(state);

    const existing = run(heroku, 'create-service', 'staging', 'users-db');
    const fresh = run(heroku, 'create-service', 'staging', 'event-bus');

    expect([existing.status, fresh.status]).toEqual([0, 0]);
    expect(lines(existing.stdout).pop()).toBe('create-service: users-db exists in staging (heroku): nothing to do');
    const [first, ...others] = ['users', 'tokens', 'messages', 'push'].map((app) => herokuAppsOf('staging')[app]);
    expect(callsOf(heroku, 'addons:create')).toEqual([
      `addons:create heroku-redis:mini -a ${first} --name chat-event-bus-staging --as EVENT_BUS --wait`,
    ]);
    expect(callsOf(heroku, 'addons:attach')).toEqual(
      others.map((name) => `addons:attach chat-event-bus-staging -a ${name} --as EVENT_BUS`),
    );
  });
});
