/** scripts/provision's own arguments, whatever the target (each target's run is tested in its folder). */
import path from 'node:path';
import { ROOT, sh } from '../../../lib/testing/throwaway-repo';

const USAGE = 'usage: scripts/provision <space> --target cf|heroku [--otlp-endpoint URL [--otlp-headers K=V,...]] [--dry-run]';
const provision = (args: string[], env: NodeJS.ProcessEnv = {}) => sh(path.join(ROOT, 'scripts', 'provision'), args, ROOT, env);

describe('scripts/provision arguments', () => {
  test.each([
    [['staging'], 'provision: which target? --target cf or --target heroku'],
    [['staging', '--target', 'aws'], 'provision: unknown target "aws" (known: cf, heroku)'],
    [['qa', '--target', 'cf'], 'provision: unknown space "qa": there is no vars/qa.yml'],
    [['qa', '--target', 'heroku'], 'provision: unknown space "qa": heroku.json names no apps for it'],
    [
      ['dev', '--target', 'cf'],
      'provision: vars/dev.yml needs redis_offering and redis_plan (the Redis offering and plan of cf marketplace)',
    ],
    [['--target', 'cf'], 'provision: which space?'],
  ])('%j: exit 2, the usage line, then the problem', (args, problem) => {
    expect(provision(args)).toEqual({ status: 2, stdout: '', stderr: `${USAGE}\n${problem}\n` });
  });

  test('--help: the usage line first, exit 0', () => {
    const result = provision(['--help']);
    expect({ status: result.status, first: result.stdout.split('\n')[0] }).toEqual({ status: 0, first: USAGE });
  });

  test('when cf is not installed, then one line, nothing run', () => {
    const result = provision(['staging', '--target', 'cf'], { PATH: path.dirname(process.execPath) });
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 1,
      stderr: 'provision: cf is not installed: install the Cloud Foundry CLI v8 (https://github.com/cloudfoundry/cli#downloads)\n',
    });
  });
});
