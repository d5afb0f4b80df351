/**
 * The day-two commands (releases, rollback, run-task, restart, scale, env, set-env,
 * create-service, rotate-keys) answer every bad argument before doing anything: the usage line, then one
 * line naming the problem, exit 2, nothing on stdout. (--help and an unknown option: commands.test.ts.)
 */
import { lines, script } from '../../../lib/testing/run-script';

const CASES: [string, string[], string][] = [
  ['releases', [], 'releases: which space?'],
  ['releases', ['staging', '--target', 'aws'], 'releases: unknown target "aws" (known: '],
  ['restart', ['qa', '--target', 'cf'], 'restart: unknown space "qa": there is no vars/qa.yml'],
  ['restart', ['staging', 'nobody', '--target', 'heroku'], 'restart: manifest.yml has no app nobody (its apps: '],
  [
    'rollback',
    ['staging', '--to', '1.2 3', '--target', 'cf'],
    'rollback: --to takes a version as scripts/releases shows it, e.g. 1.2.3 (got "1.2 3")',
  ],
  [
    'run-task',
    ['staging', 'users', '--target', 'cf'],
    'run-task: which command? put it after --, e.g. scripts/run-task staging users -- node apps/users/dist/release.js',
  ],
  [
    'run-task',
    ['staging', 'users', '--name', 'a b', '--target', 'cf', '--', 'true'],
    'run-task: --name takes letters, digits, ".", "_" and "-", up to 64 (got "a b")',
  ],
  ['run-task', ['staging', '--target', 'cf', '--', 'true'], 'run-task: which app?'],
  ['scale', ['staging', 'users', '--target', 'cf'], 'scale: nothing to scale: give -i <N>, -m <size> or both'],
  ['scale', ['staging', 'users', '-i', 'two', '--target', 'cf'], 'scale: -i takes a whole number of instances, 0 or more (got "two")'],
  ['scale', ['staging', 'users', '-m', '256', '--target', 'cf'], 'scale: -m takes a size with a unit, e.g. 256M or 1G (got "256")'],
  [
    'scale',
    ['staging', 'users', '--process', 'worker', '-i', '1', '--target', 'cf'],
    'scale: users has no process worker (its processes: web)',
  ],
  ['env', ['staging', '--target', 'cf'], 'env: which app?'],
  ['env', ['staging', 'Users', '--target', 'cf'], 'env: "Users" is not an app name (lower-case letters, digits, -)'],
  [
    'set-env',
    ['staging', 'users', '--target', 'cf'],
    'set-env: which variables? give KEY=VALUE, e.g. scripts/set-env staging users LOG_LEVEL=debug',
  ],
  [
    'set-env',
    ['staging', 'users', 'LOG_LEVEL', '--target', 'cf'],
    'set-env: "LOG_LEVEL" is not KEY=VALUE with a KEY of letters, digits and _',
  ],
  ['set-env', ['staging', 'users', 'VCAP_SERVICES={}', '--target', 'cf'], "set-env: VCAP_SERVICES is the platform's to set, not the app's"],
  ['create-service', ['staging', '--target', 'cf'], 'create-service: which service? e.g. notes-db'],
  [
    'create-service',
    ['staging', 'Notes_DB', '--target', 'cf'],
    'create-service: "Notes_DB" is not a service name (lower-case letters, digits and -, up to 50)',
  ],
  ['rotate-keys', ['staging', '--target', 'cf'], 'rotate-keys: switch or retire?'],
  ['rotate-keys', ['staging', 'renew', '--target', 'cf'], 'rotate-keys: unknown step "renew" (switch or retire)'],
  ['rotate-keys', ['staging', 'retire', '--target', 'cf'], 'rotate-keys: retire which key? give its kid'],
  ['rotate-keys', ['staging', 'retire', 'a b', '--target', 'cf'], 'rotate-keys: "a b" is not a kid (letters, digits, _ . -)'],
  ['rotate-keys', ['staging', 'switch', 'k1', '--target', 'cf'], 'rotate-keys: switch takes no kid: it makes the new key itself'],
  ['rotate-keys', ['staging', 'switch', '--now', '--target', 'cf'], 'rotate-keys: --now is for retire'],
];

describe.each(CASES)('scripts/%s %j', (name, args, line) => {
  test('then the usage line, one line naming the problem, exit 2, nothing on stdout', async () => {
    const result = await script(name, args);

    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^usage: scripts/${name} <space> `)),
      expect.stringContaining(line),
    ]);
    expect(lines(result.stderr)[1]?.startsWith(line)).toBe(true);
  });
});
