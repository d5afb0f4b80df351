import fs from 'node:fs';
import path from 'node:path';
import { ROOT, sh } from '../../../../lib/testing/throwaway-repo';

const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
const push = (...args: string[]) => sh(path.join(ROOT, 'scripts', 'push'), args, ROOT);

describe('scripts/push --target local --dry-run', () => {
  test('when the space has a vars file, then the build and the version wait: the rolling push itself is a call to the running supervisor', () => {
    const result = push('staging', '--dry-run');

    expect([result.status, result.stderr, result.stdout.split('\n').filter(Boolean)]).toEqual([
      0,
      '',
      ['scripts/build', `# then wait until every app answers version ${VERSION} on /version`],
    ]);
  });

  test('when the space has no vars file, then the usage line and the space named, exit 2', () => {
    const result = push('qa', '--dry-run');

    expect([result.status, result.stderr.split('\n')[1]]).toEqual([2, 'push: unknown space "qa": there is no vars/qa.yml']);
  });
});
