/**
 * The day-two commands with --target cf --dry-run: exactly the cf commands a real run makes,
 * in order, <placeholders> where a read decides (a revision number, an app's guid). Each rule
 * pinned here is cf CLI v8.9.1's (cloudfoundry/cli, tag v8.9.1):
 *   - cf rollback APP --version N -f: --version is required (command/v7/rollback_command.go,
 *     `Version flag.Revision long:"version" required:"true"`); without -f it asks "Are you sure
 *     you want to continue?" and waits for a person; it deploys rolling and waits by default;
 *   - cf run-task APP --command "ONE STRING" --name N --wait: -c/--command is one string; --wait
 *     exists from v8.7.4 on (absent from v8.7.3's command/v7/run_task_command.go) and exits 1
 *     when the task fails, whatever its status (actor/actionerror/task_failed_error.go);
 *   - cf restart APP --strategy rolling: "This command will cause downtime unless you use
 *     '--strategy canary' or '--strategy rolling'" (command/v7/restart_command.go usage);
 *   - cf scale never takes -m here: with -m it stops every instance and starts them again
 *     (command/v7/scale_command.go restartApplication); -i alone restarts nothing;
 *   - cf create-service OFFERING PLAN NAME --wait (command/v7/create_service_command.go).
 */
import path from 'node:path';
import { ROOT, sh } from '../../../../lib/testing/throwaway-repo';
import { manifestAppNames, only } from '../../../../lib/testing/bundle-apps';

const dry = (command: string, ...args: string[]) => sh(path.join(ROOT, 'scripts', command), ['--target', 'cf', '--dry-run', ...args], ROOT);
const lines = (text: string) => text.split('\n').filter(Boolean);
const REFERENCE_PUSH_ORDER = ['tokens', 'users', 'messages', 'push', 'ui'];

describe('day-two commands, --target cf --dry-run', () => {
  test("rollback: cf target, each app's revisions and their versions, then cf rollback APP --version <N> -f, ui first and tokens last", () => {
    const result = dry('rollback', 'production', '--to', '1.2.3');

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const output = lines(result.stdout);
    expect(output[0]).toBe('cf target -s production');
    const rollbacks = output.filter((line) => line.startsWith('cf rollback '));
    const apps = rollbacks.map((line) => line.split(' ')[2] ?? '');
    expect(only(apps, REFERENCE_PUSH_ORDER)).toEqual([...REFERENCE_PUSH_ORDER].reverse());
    expect([...apps].sort()).toEqual(manifestAppNames().sort());
    expect(rollbacks).toEqual(apps.map((app) => `cf rollback ${app} --version <revision of ${app} that ran 1.2.3> -f`));
    // Every revision list is read before anything rolls back.
    expect(output.slice(1, output.indexOf(rollbacks[0]!))).toEqual(
      apps.flatMap((app) => [`cf revisions ${app}`, `cf revision ${app} --version <N>`]),
    );
  });

  test("releases: cf target, then each app's revisions and the version each ran, in push order", () => {
    const output = lines(dry('releases', 'staging').stdout);

    expect(output[0]).toBe('cf target -s staging');
    expect(
      only(
        output.filter((line) => line.startsWith('cf revisions ')).map((line) => line.split(' ')[2] ?? ''),
        REFERENCE_PUSH_ORDER,
      ),
    ).toEqual(REFERENCE_PUSH_ORDER);
  });

  test('run-task, restart, scale, env, set-env and create-service print exactly the commands a run makes', () => {
    const expected: [string[], string[]][] = [
      [
        ['run-task', 'staging', 'users', '--name', 'migrate', '--', 'node', 'apps/users/dist/release.js', '--to', 'v2'],
        [
          'cf target -s staging',
          "cf run-task users --command 'node apps/users/dist/release.js --to v2' --name migrate --wait",
          'cf logs users --recent',
        ],
      ],
      [
        ['restart', 'staging', 'users'],
        ['cf target -s staging', 'cf restart users --strategy rolling'],
      ],
      [
        ['scale', 'staging', 'messages', '--process', 'worker', '-i', '3', '-m', '256M'],
        [
          'cf target -s staging',
          'cf scale messages -i 3 --process worker',
          'cf app messages --guid',
          `cf curl -X POST '/v3/apps/<guid of messages>/processes/worker/actions/scale' -d '{"memory_in_mb":256}'`,
          'cf restart messages --strategy rolling',
        ],
      ],
      [
        ['scale', 'staging', 'users', '-i', '4'],
        ['cf target -s staging', 'cf scale users -i 4 --process web'],
      ],
      [
        ['env', 'staging', 'users'],
        ['cf target -s staging', 'cf env users'],
      ],
      [
        ['set-env', 'staging', 'users', 'LOG_LEVEL=debug', 'SERVICE_KEY=abc'],
        ['cf target -s staging', 'cf set-env users LOG_LEVEL debug', 'cf set-env users SERVICE_KEY <hidden>'],
      ],
      [
        ['create-service', 'staging', 'notes-db'],
        ['cf target -s staging', 'cf service notes-db', 'cf create-service p.redis cache-small notes-db --wait'],
      ],
    ];
    for (const [args, commands] of expected) {
      const result = dry(args[0] as string, ...args.slice(1));
      expect({ args, status: result.status, stderr: result.stderr, stdout: lines(result.stdout) }).toEqual({
        args,
        status: 0,
        stderr: '',
        stdout: commands,
      });
    }
  });

  test('restart of every app: one cf restart --strategy rolling per app, in push order', () => {
    const restarts = lines(dry('restart', 'staging').stdout).slice(1);

    expect(restarts.every((line) => /^cf restart [a-z0-9-]+ --strategy rolling$/.test(line))).toBe(true);
    expect(
      only(
        restarts.map((line) => line.split(' ')[2] ?? ''),
        REFERENCE_PUSH_ORDER,
      ),
    ).toEqual(REFERENCE_PUSH_ORDER);
  });

  // Issue 22 item 13: the rotation's two steps, through cf env, cf set-env and a rolling restart, then cf run-task.
  test('rotate-keys switch reads the env, sets the new key with the old one as previous, values hidden, restarts tokens rolling; retire runs the task', () => {
    const switched = dry('rotate-keys', 'staging', 'switch');
    expect({ status: switched.status, stderr: switched.stderr }).toEqual({ status: 0, stderr: '' });
    expect(lines(switched.stdout)).toEqual([
      'cf target -s staging',
      'cf env tokens',
      'cf target -s staging',
      'cf set-env tokens TOKEN_SIGNING_KEY <hidden>',
      expect.stringMatching(/^cf set-env tokens TOKEN_SIGNING_KEY_ID [A-Za-z0-9_-]{43}$/),
      'cf set-env tokens TOKEN_PREVIOUS_PUBLIC_KEY <hidden>',
      'cf set-env tokens TOKEN_PREVIOUS_KEY_ID <the current kid>',
      expect.stringMatching(/^cf set-env tokens TOKEN_PREVIOUS_KEY_RETIRE_AFTER \d{4}-[0-9T:.-]+Z$/),
      'cf target -s staging',
      'cf restart tokens --strategy rolling',
    ]);
    const retired = dry('rotate-keys', 'staging', 'retire', 'key-1', '--now');
    expect(lines(retired.stdout)).toEqual([
      'cf target -s staging',
      "cf run-task tokens --command 'node apps/tokens/dist/tasks/retire-key.js key-1 --now' --name retire-key --wait",
      'cf logs tokens --recent',
    ]);
  });
});
