/** scripts/push's own arguments, whatever the target (each target's flags are tested in its folder). */
import path from 'node:path';
import { ROOT, sh } from '../../../lib/testing/throwaway-repo';

const USAGE = 'usage: scripts/push <space> [--target local|cf|heroku] [--strategy rolling|canary] [--dry-run]';
const push = (...args: string[]) => sh(path.join(ROOT, 'scripts', 'push'), args, ROOT);

describe('scripts/push arguments', () => {
  test('when the target is unknown, then exit 2 with one line', () => {
    const result = push('staging', '--target', 'aws', '--dry-run');

    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`${USAGE}\npush: unknown target "aws" (known: local, cf, heroku)\n`);
  });

  test.each([
    [['staging', '--bogus'], 'push: unknown option --bogus'],
    [['--dry-run'], 'push: which space?'],
    [['staging', 'production'], 'push: unexpected argument production'],
  ])('when the arguments are %j, then exit 2: the usage line, then the problem', (args, problem) => {
    const result = push(...args);

    expect(result).toEqual({ status: 2, stdout: '', stderr: `${USAGE}\n${problem}\n` });
  });
});
