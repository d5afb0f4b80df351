/**
 * scripts/releases and scripts/rollback on the local target (the default) answer a bad
 * argument with the usage line and one line, exit 2, and a space that is not running with
 * one line, exit 1, before doing anything.
 */
import { lines, script } from '../../../../lib/testing/run-script';

const USAGE: [string, string[], string][] = [
  ['releases', ['Dev'], 'releases: "Dev" is not a space name (lower-case letters, digits, -)'],
  ['rollback', ['../dev'], 'rollback: "../dev" is not a space name (lower-case letters, digits, -)'],
  [
    'rollback',
    ['dev', '--dry-run'],
    'rollback: --dry-run is for --target cf or --target heroku (the local rollback runs no commands of its own)',
  ],
  ['rollback', ['dev', '--to', 'v 1'], 'rollback: --to takes a version as scripts/releases shows it, e.g. 1.2.3 (got "v 1")'],
];

describe.each(USAGE)('scripts/%s %j', (name, args, line) => {
  test('then the usage line, one line naming the problem, exit 2, nothing on stdout', async () => {
    const result = await script(name, args);

    expect([result.status, result.stdout, lines(result.stderr)]).toEqual([
      2,
      '',
      [expect.stringMatching(`^usage: scripts/${name} <space> `), line],
    ]);
  });
});

describe.each([['releases'], ['rollback']])('scripts/%s, when the space is not running', (name) => {
  test('then one line saying how to start it, exit 1', async () => {
    const result = await script(name, ['no-such-space-running']);

    expect([result.status, lines(result.stderr).pop()]).toEqual([
      1,
      `${name}: space no-such-space-running is not running: start it with scripts/start no-such-space-running`,
    ]);
  });
});
