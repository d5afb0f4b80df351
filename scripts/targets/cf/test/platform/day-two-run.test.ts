/**
 * The day-two commands with --target cf, run for real against the fake cf (lib/testing/
 * fake-paas.ts, fixtures/fake-day-two.js), which prints what cf CLI v8.9.1 prints and keeps
 * what each command changed: revisions, tasks, scale, env, services.
 */
import path from 'node:path';
import { ROOT, sh } from '../../../../lib/testing/throwaway-repo';
import { fake, type Fake } from '../../../../lib/testing/fake-paas';
import { cfSeed } from '../../../../lib/testing/day-two-seed';
import { manifestAppNames, only } from '../../../../lib/testing/bundle-apps';

const run = (cf: Fake, command: string, ...args: string[]) =>
  sh(path.join(ROOT, 'scripts', command), ['--target', 'cf', ...args], ROOT, cf.env);
const lines = (text: string) => text.split('\n').filter(Boolean);
/** The cf calls of one kind, each as one line without the tool's name. */
const callsOf = (cf: Fake, command: string) =>
  cf
    .calls()
    .filter((call) => call[1] === command)
    .map((call) => call.slice(1).join(' '));
const REFERENCE_PUSH_ORDER = ['tokens', 'users', 'messages', 'push', 'ui'];

function seeded(versions = ['1.0.0', '1.0.1']): Fake {
  const cf = fake();
  cf.seed(cfSeed(versions));
  return cf;
}

describe('scripts/releases --target cf', () => {
  test('when every app ran 1.0.0 then 1.0.1, then one release per version, newest first, 1.0.1 current, each naming its revisions', () => {
    const cf = seeded();
    const result = run(cf, 'releases', 'staging');

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const table = lines(result.stdout).slice(1);
    expect(table[0]).toMatch(/^version +commit +when +current$/);
    expect(
      table.slice(1).map((line) =>
        line
          .split(/\s{2,}/)
          .filter((cell) => !/^\d{4}-/.test(cell))
          .slice(0, 3),
      ),
    ).toEqual([
      ['1.0.1', '-', 'current'],
      ['1.0.0', '-', expect.stringMatching(/^tokens #1, /)],
    ]);
    expect(table[1]).toMatch(/tokens #2, users #2, messages #2, push #2, ui #2/);
    // cf target first; then each app's revisions, and each revision's environment for its version.
    expect(cf.calls()[0]).toEqual(['cf', 'target', '-s', 'staging']);
    expect(callsOf(cf, 'revisions').sort()).toEqual(
      manifestAppNames()
        .map((app) => `revisions ${app}`)
        .sort(),
    );
    expect(callsOf(cf, 'revision')).toContain('revision users --version 1');
  });
});

describe('when cf refuses a read', () => {
  test("then one line: what failed, the command, and cf's own reason (not its 'Getting ...' line), exit 1", () => {
    const cf = fake();
    const seed = cfSeed(['1.0.0']);
    delete seed.cf!.apps.ui;
    cf.seed(seed);

    const result = run(cf, 'releases', 'staging');

    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 1,
      stderr: "releases: cf could not list the revisions of ui: cf revisions ui says: App 'ui' not found.\n",
    });
  });
});

describe('scripts/rollback --target cf', () => {
  test('when no version is named, then each app goes back to the revision that ran the previous version, ui first and tokens last, each with -f', () => {
    const cf = seeded();
    const result = run(cf, 'rollback', 'staging');

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const rollbacks = callsOf(cf, 'rollback');
    expect(
      only(
        rollbacks.map((call) => call.split(' ')[1] ?? ''),
        REFERENCE_PUSH_ORDER,
      ),
    ).toEqual([...REFERENCE_PUSH_ORDER].reverse());
    expect([...rollbacks].sort()).toEqual(
      manifestAppNames()
        .map((app) => `rollback ${app} --version 1 -f`)
        .sort(),
    );
    expect(lines(result.stdout).pop()).toMatch(/^rollback: staging serves 1\.0\.0 again \(it served 1\.0\.1; \d+\.\ds\)$/);
    // And the space lists 1.0.0 as current now.
    const rows = lines(run(cf, 'releases', 'staging').stdout).slice(2);
    expect(rows.filter((line) => / current( |$)/.test(line)).map((line) => line.split(' ')[0])).toEqual(['1.0.0']);
  });

  test('when --to names a version no revision ran, then exit 1 with one line naming the versions there are, and nothing rolled back', () => {
    const cf = seeded();
    const result = run(cf, 'rollback', 'staging', '--to', '0.9.0');

    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 1,
      stderr: 'rollback: staging has no release 0.9.0 (its releases: 1.0.1, 1.0.0)\n',
    });
    expect(callsOf(cf, 'rollback')).toEqual([]);
  });

  test('when --to names the version one app serves already, then that app is left alone (Cloud Controller refuses a rollback to what runs)', () => {
    const cf = fake();
    const seed = cfSeed(['1.0.0', '1.0.1']);
    seed.cf!.apps.ui!.deployed = [1];
    cf.seed(seed);

    const result = run(cf, 'rollback', 'staging', '--to', '1.0.0');

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^rollback: ui already serves 1\.0\.0$/m);
    expect(callsOf(cf, 'rollback').map((call) => call.split(' ')[1])).not.toContain('ui');
  });

  test('when the rollback of one app fails, then exit 1 naming it and the apps not rolled back', () => {
    const cf = fake();
    cf.seed({ ...cfSeed(['1.0.0', '1.0.1']), failing: ['cf rollback messages'] });

    const result = run(cf, 'rollback', 'staging');

    expect(result.status).toBe(1);
    // ui and push went back before messages (the reverse of the push order); users and tokens did not.
    expect(lines(result.stderr).pop()).toBe(
      'rollback: cf rollback messages failed: it keeps serving what it served (see above); not rolled back: users, tokens',
    );
  });
});

describe('scripts/run-task --target cf', () => {
  test('when the task succeeds, then cf run-task with the command as one string, its name and --wait; its own log lines shown; exit 0', () => {
    const cf = seeded();
    const result = run(cf, 'run-task', 'staging', 'users', '--name', 'migrate', '--', 'node', 'apps/users/dist/release.js', '--dry');

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(callsOf(cf, 'run-task')).toEqual(['run-task users --command node apps/users/dist/release.js --dry --name migrate --wait']);
    expect(cf.calls().find((call) => call[1] === 'run-task')?.[4]).toBe('node apps/users/dist/release.js --dry');
    expect(result.stdout).toMatch(
      /^2026-12-07T12:00:00\.00\+0000 \[APP\/TASK\/migrate\/0\] OUT ran: node apps\/users\/dist\/release\.js --dry$/m,
    );
    expect(result.stdout).not.toMatch(/APP\/PROC\/WEB/);
    expect(lines(result.stdout).pop()).toBe('run-task: task migrate of users in staging succeeded');
  });

  test("when the task exits 3, then this command exits 3 (from cf task's failure reason), with one line", () => {
    const cf = fake();
    cf.seed({ cf: { ...cfSeed(['1.0.0']).cf!, taskExit: { migrate: 3 } } });

    const result = run(cf, 'run-task', 'staging', 'users', '--name', 'migrate', '--', 'node', 'apps/users/dist/release.js');

    expect(result.status).toBe(3);
    expect(lines(result.stderr).pop()).toBe('run-task: task migrate of users in staging failed with exit 3');
    expect(callsOf(cf, 'task')).toEqual(['task users 1']);
  });
});

describe('scripts/restart, scale, env, set-env, create-service --target cf', () => {
  test('restart: every app restarts with --strategy rolling, in push order', () => {
    const cf = seeded();
    const result = run(cf, 'restart', 'staging');

    expect(result.status).toBe(0);
    const restarted = callsOf(cf, 'restart');
    expect(restarted.every((call) => / --strategy rolling$/.test(call))).toBe(true);
    expect(
      only(
        restarted.map((call) => call.split(' ')[1] ?? ''),
        REFERENCE_PUSH_ORDER,
      ),
    ).toEqual(REFERENCE_PUSH_ORDER);
  });

  test('scale: -i changes instances live with cf scale; -m goes through the scale action and a rolling restart, never cf scale -m', () => {
    const cf = seeded();
    const result = run(cf, 'scale', 'staging', 'messages', '--process', 'worker', '-i', '3', '-m', '256M');

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(
      cf
        .calls()
        .filter((call) => call[0] === 'cf' && !['target', 'app'].includes(call[1] ?? ''))
        .map((call) => call.slice(1).join(' ')),
    ).toEqual([
      'scale messages -i 3 --process worker',
      expect.stringMatching(/^curl -X POST \/v3\/apps\/[0-9a-f-]{36}\/processes\/worker\/actions\/scale -d \{"memory_in_mb":256\}$/),
      'restart messages --strategy rolling',
    ]);
    expect(cf.state().cf!.apps.messages!.processes!.worker).toEqual({ instances: 3, memory: 256 });
  });

  test('env: what cf env says an instance runs with, secrets and credentials hidden, the staging group left out', () => {
    const cf = fake();
    const seed = cfSeed(['1.0.0']);
    seed.cf!.apps.users!.env = { APP_VERSION: '1.0.0', SERVICE_KEY: 'the-service-key' };
    seed.cf!.apps.users!.system = {
      VCAP_SERVICES: { 'p.redis': [{ name: 'users-db', credentials: { host: '10.0.0.5', port: 6379, password: 'redis-pw' } }] },
    };
    cf.seed(seed);

    const result = run(cf, 'env', 'staging', 'users');

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(lines(result.stdout)).toEqual([
      'APP_VERSION=1.0.0',
      'SERVICE_KEY=<hidden>',
      'VCAP_SERVICES={"p.redis":[{"name":"users-db","credentials":{"host":"10.0.0.5","port":6379,"password":"<hidden>"}}]}',
    ]);
  });

  test('set-env: cf set-env per variable with its value; the printed step hides the secret; it says a restart applies them', () => {
    const cf = seeded();
    const result = run(cf, 'set-env', 'staging', 'users', 'LOG_LEVEL=debug', 'SERVICE_KEY=s3cret-value');

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(callsOf(cf, 'set-env')).toEqual(['set-env users LOG_LEVEL debug', 'set-env users SERVICE_KEY s3cret-value']);
    expect(result.stdout).toMatch(/^set-env: \$ cf set-env users SERVICE_KEY <hidden>$/m);
    expect(result.stdout).not.toMatch(/s3cret-value/);
    expect(lines(result.stdout).pop()).toBe(
      'set-env: set LOG_LEVEL, SERVICE_KEY on users in staging (cf): they take effect when its instances start again: scripts/restart staging users --target cf (rolling)',
    );
  });

  test("create-service: a missing service is created with the vars' offering and plan and --wait; an existing one is left alone", () => {
    const cf = seeded();
    const first = run(cf, 'create-service', 'staging', 'notes-db');
    const second = run(cf, 'create-service', 'staging', 'notes-db');

    expect([first.status, second.status]).toEqual([0, 0]);
    expect(callsOf(cf, 'create-service')).toEqual(['create-service p.redis cache-small notes-db --wait']);
    expect(lines(second.stdout).pop()).toBe('create-service: notes-db exists in staging (cf): nothing to do');
  });

  test('when cf is not installed, then a real run says so in one line, exit 1', () => {
    const result = sh(path.join(ROOT, 'scripts', 'restart'), ['staging', '--target', 'cf'], ROOT, { PATH: path.dirname(process.execPath) });

    expect(result.status).toBe(1);
    expect(lines(result.stderr)).toEqual([expect.stringMatching(/^restart: cf is not installed: install the Cloud Foundry CLI v8 /)]);
  });
});
