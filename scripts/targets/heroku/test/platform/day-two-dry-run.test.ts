/**
 * The day-two commands with --target heroku --dry-run: exactly the heroku commands a real run
 * makes. Each flag rule is the Heroku CLI's (npm heroku 11.10.0, dist/commands/):
 *   - releases/index.js: -a/--app required, --json (the Platform API's objects), -n/--num
 *     (default 15: the bundle asks for 30);
 *   - releases/rollback.js: the release is an argument, "vN" or N (lib/releases/releases.js
 *     getRelease strips the v), -a required, no prompt;
 *   - run/index.js: -x/--exit-code "passthrough the exit code of the remote command"; strict
 *     = false, the command after --;
 *   - ps/restart.js: without --dyno-name or --process-type, every dyno of the app;
 *   - ps/scale.js: a change is TYPE=N (/^([\w-]+)([=+-]\d+)(?::([\w-]+))?$/);
 *   - config/index.js: -j/--json; config/set.js: KEY=VALUE arguments, prints the values it set;
 *   - addons/create.js: --name, --as, --wait; addons/attach.js: --as.
 */
import path from 'node:path';
import { ROOT, sh } from '../../../../lib/testing/throwaway-repo';
import { herokuAppsOf } from '../../../../lib/testing/bundle-apps';

const dry = (command: string, ...args: string[]) =>
  sh(path.join(ROOT, 'scripts', command), ['--target', 'heroku', '--dry-run', ...args], ROOT);
const lines = (text: string) => text.split('\n').filter(Boolean);
/** ps/scale.js's own pattern for a change. */
const HEROKU_SCALE_CHANGE = /^([\w-]+)([=+-]\d+)(?::([\w-]+))?$/;

describe('day-two commands, --target heroku --dry-run', () => {
  test("rollback of production: each app's releases and its staging app's (promoted slugs), then releases:rollback per app, the last app first", () => {
    const result = dry('rollback', 'production');
    const production = Object.values(herokuAppsOf('production')).reverse();
    const staging = Object.values(herokuAppsOf('staging')).reverse();

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const apps = Object.keys(herokuAppsOf('production')).reverse();
    expect(lines(result.stdout)).toEqual([
      ...production.flatMap((name, index) => [
        `heroku releases -a ${name} --json -n 30`,
        `heroku releases -a ${staging[index]} --json -n 30`,
      ]),
      ...production.map((name, index) => `heroku releases:rollback <release of ${apps[index]} that ran the previous version> -a ${name}`),
    ]);
  });

  test('run-task, restart, scale, env, set-env and create-service print exactly the commands a run makes', () => {
    const users = herokuAppsOf('staging').users;
    const messages = herokuAppsOf('staging').messages;
    const expected: [string[], string[]][] = [
      [
        ['run-task', 'staging', 'users', '--', 'node', 'apps/users/dist/fix.js', '--all'],
        [`heroku run -a ${users} --exit-code -- node apps/users/dist/fix.js --all`],
      ],
      [['restart', 'staging', 'users'], [`heroku ps:restart -a ${users}`]],
      [['scale', 'staging', 'messages', '--process', 'worker', '-i', '2'], [`heroku ps:scale worker=2 -a ${messages}`]],
      [['env', 'staging', 'users'], [`heroku config -a ${users} --json`]],
      [
        ['set-env', 'staging', 'users', 'LOG_LEVEL=debug', 'SERVICE_KEY=abc'],
        [`heroku config:set -a ${users} LOG_LEVEL=debug SERVICE_KEY=<hidden>`],
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
    expect(HEROKU_SCALE_CHANGE.test('worker=2')).toBe(true);
  });

  test("scale -m: refused with one line, exit 2 (a dyno's memory is its size)", () => {
    const result = dry('scale', 'staging', 'users', '-m', '1G');

    expect(result.status).toBe(2);
    expect(lines(result.stderr)[1]).toBe(
      "scale: -m is not for --target heroku: a dyno's memory is its size (heroku ps:type), e.g. standard-2x for 1 GB",
    );
  });

  // Issue 22 item 13: the rotation's two steps, through config:set (a release: no restart of its own) and heroku run.
  test('rotate-keys switch reads the config, sets the new key with the old one as previous, values hidden; retire runs the task', () => {
    const tokens = herokuAppsOf('staging').tokens;
    const switched = dry('rotate-keys', 'staging', 'switch');
    expect({ status: switched.status, stderr: switched.stderr }).toEqual({ status: 0, stderr: '' });
    expect(lines(switched.stdout)).toEqual([
      `heroku config -a ${tokens} --json`,
      expect.stringMatching(
        new RegExp(
          `^heroku config:set -a ${tokens} TOKEN_SIGNING_KEY=<hidden> TOKEN_SIGNING_KEY_ID=[A-Za-z0-9_-]{43} TOKEN_PREVIOUS_PUBLIC_KEY=<hidden> TOKEN_PREVIOUS_KEY_ID=<the current kid> TOKEN_PREVIOUS_KEY_RETIRE_AFTER=\\d{4}-[0-9T:.-]+Z$`,
        ),
      ),
    ]);
    const retired = dry('rotate-keys', 'staging', 'retire', 'key-1');
    expect(lines(retired.stdout)).toEqual([`heroku run -a ${tokens} --exit-code -- node apps/tokens/dist/tasks/retire-key.js key-1`]);
  });
});
