/**
 * The release task on Cloud Foundry (targets/cf/release-task.js): an app's src/release.ts runs
 * on the new droplet before that droplet takes traffic, and a failure keeps the old release
 * serving. The rules that make it this sequence, from cloudfoundry/cli v8.9.1:
 *   - `cf push --no-start` with `--strategy rolling|canary` is refused, and --no-start on a
 *     running app stops it (command/v7/push_command.go ArgumentCombinationError;
 *     actor/v7pushaction/sequence.go ShouldStopApplication): no push stages without deploying;
 *   - `cf run-task` takes no droplet (command/v7/run_task_command.go has -c, -k, -l, -m,
 *     --name, --process, --wait): the task goes through the v3 API, POST /v3/apps/:guid/tasks
 *     with droplet_guid, by cf curl;
 *   - `cf push --droplet` is refused with a manifest that has path or buildpacks
 *     (actor/v7pushaction/handle_droplet_path_override.go), which ours has.
 * So: apply-manifest (this app alone), create-package, stage-package, the task on that droplet,
 * and only when it SUCCEEDED, set-droplet and a rolling restart of that same droplet.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, makeThrowawayRepo, removeRepo, sh } from '../../../../lib/testing/throwaway-repo';
import { fake, type Fake } from '../../../../lib/testing/fake-paas';
import { cfSeed } from '../../../../lib/testing/day-two-seed';

const releaseTask = (cf: Fake, ...args: string[]) =>
  sh(process.execPath, [path.join(ROOT, 'scripts', 'targets', 'cf', 'release-task.js'), ...args], ROOT, cf.env);
const lines = (text: string) => text.split('\n').filter(Boolean);
/** The cf calls after cf target, each as one line (the narrowed manifest's temp path shown as <manifest>). */
const writes = (cf: Fake) =>
  cf
    .calls()
    .filter((call) => call[1] !== 'target')
    .map((call) =>
      call
        .slice(1)
        .join(' ')
        .replace(/-f \S+manifest-users\.yml/, '-f <manifest>'),
    );
const DROPLET = /droplet_guid":"([0-9a-f-]{36})"/;

describe('the cf release task', () => {
  test('when the task succeeds, then it ran on the staged droplet, and only then that droplet is set and rolled out', () => {
    const cf = fake();
    cf.seed(cfSeed(['1.0.0']));
    const result = releaseTask(cf, 'staging', 'users', '1.0.1');

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const calls = writes(cf);
    expect(calls.map((call) => call.split(' ').slice(0, 2).join(' '))).toEqual([
      'apply-manifest -f',
      'create-package users',
      'stage-package users',
      'app users',
      'curl -X',
      expect.stringMatching(/^curl \/v3\/tasks\//),
      'logs users',
      'set-droplet users',
      'restart users',
    ]);
    expect(calls[0]).toBe('apply-manifest -f <manifest> --vars-file vars/staging.yml --var version=1.0.1');
    // The manifest applied holds users alone: the other apps' environments stay as they are.
    expect(cf.state().cf!.applied).toEqual([['users']]);
    // The task ran release.js on the droplet stage-package made; that same droplet is deployed, rolling.
    const staged = DROPLET.exec(calls[4] ?? '')?.[1];
    expect(calls[4]).toMatch(/"command":"node apps\/users\/dist\/release\.js","name":"release-1\.0\.1"/);
    expect(calls.slice(-2)).toEqual([`set-droplet users ${staged}`, 'restart users --strategy rolling']);
    expect(result.stdout).toMatch(/\[APP\/TASK\/release-1\.0\.1\/0\] OUT ran: node apps\/users\/dist\/release\.js$/m);
    // Never a push that stages without deploying, nor a droplet push.
    expect(calls.filter((call) => /^push |--no-start|--droplet /.test(call))).toEqual([]);
  });

  test('when the task fails, then exit 1 with one line, and the new droplet is never set nor started: the old release keeps serving', () => {
    const cf = fake();
    cf.seed({ cf: { ...cfSeed(['1.0.0']).cf!, taskExit: { 'release-1.0.1': 1 } } });
    const result = releaseTask(cf, 'staging', 'users', '1.0.1');

    expect(result.status).toBe(1);
    expect(lines(result.stderr)).toEqual([
      'release-task: the release task of users failed (APP/TASK/release-1.0.1: Exited with status 1): users keeps serving its current release (its new manifest waits for a restart)',
    ]);
    expect(writes(cf).filter((call) => /^(set-droplet|restart|push) /.test(call))).toEqual([]);
    expect(cf.state().cf!.apps.users!.deployed).toEqual([1]);
  });

  test('when an app has src/release.ts, then scripts/push --target cf --dry-run shows its release task in place of its cf push, in push order', () => {
    const repo = makeThrowawayRepo([
      'scripts',
      'packages/args',
      'packages/platform',
      'manifest.yml',
      'vars',
      'package.json',
      '.cfignore',
      'heroku.json',
      'apps',
    ]);
    try {
      fs.writeFileSync(path.join(repo, 'apps', 'users', 'src', 'release.ts'), 'export {};\n');
      const result = sh(path.join(repo, 'scripts', 'push'), ['staging', '--target', 'cf', '--dry-run'], repo);

      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      const output = lines(result.stdout).filter((line) => !line.startsWith('#'));
      const version = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).version as string;
      expect(output.filter((line) => /^cf push users /.test(line))).toEqual([]);
      const from = output.indexOf(
        `cf apply-manifest -f <manifest.yml with users alone> --vars-file vars/staging.yml --var version=${version}`,
      );
      expect(from).toBeGreaterThan(output.findIndex((line) => line.startsWith('cf push tokens ')));
      expect(output.slice(from + 1, from + 9)).toEqual([
        'cf create-package users -p .',
        'cf stage-package users --package-guid <package guid>',
        'cf app users --guid',
        `cf curl -X POST '/v3/apps/<guid of users>/tasks' -d '{"command":"node apps/users/dist/release.js","name":"release-${version}","droplet_guid":"<droplet guid>"}'`,
        "cf curl '/v3/tasks/<task guid>'",
        'cf logs users --recent',
        'cf set-droplet users <droplet guid>',
        'cf restart users --strategy rolling',
      ]);
    } finally {
      removeRepo(repo);
    }
  });
});
