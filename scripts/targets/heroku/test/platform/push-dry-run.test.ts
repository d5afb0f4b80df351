import fs from 'node:fs';
import path from 'node:path';
import { ROOT, sh } from '../../../../lib/testing/throwaway-repo';
import { herokuAppsOf, manifestAppNames, only } from '../../../../lib/testing/bundle-apps';

const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
const push = (...args: string[]) => sh(path.join(ROOT, 'scripts', 'push'), args, ROOT);
const lines = (text: string) => text.split('\n').filter((line) => line !== '');

/** heroku.json's apps of a space, in its order: each app of the manifest, the reference five in theirs. */
function herokuApps(space: string): string[] {
  const apps = Object.keys(herokuAppsOf(space));
  expect(only(apps, ['users', 'tokens', 'messages', 'push', 'ui'])).toEqual(['users', 'tokens', 'messages', 'push', 'ui']);
  expect([...apps].sort()).toEqual(manifestAppNames().sort());
  return apps;
}

describe('scripts/push --target heroku --dry-run', () => {
  test('when the target is heroku and the space is staging, then it prints a git push per Heroku app, then the gateway folder alone', () => {
    const result = push('staging', '--target', 'heroku', '--dry-run');

    expect(result.status).toBe(0);
    expect(lines(result.stdout)).toEqual([
      'heroku auth:whoami',
      'scripts/build',
      ...herokuApps('staging').map((app) => `git push https://git.heroku.com/chat-${app}-staging.git HEAD:refs/heads/main`),
      'git subtree push --prefix heroku/gateway https://git.heroku.com/chat-gateway-staging.git HEAD:main',
      `# then wait until every app answers version ${VERSION} on /version`,
    ]);
  });

  test('when the target is heroku and the space is production, then it prints a promotion per app and the gateway, and no build', () => {
    const result = push('production', '--target', 'heroku', '--dry-run');

    expect(result.status).toBe(0);
    expect(lines(result.stdout)).toEqual([
      'heroku auth:whoami',
      ...herokuApps('production').map((app) => `heroku pipelines:promote -a chat-${app}-staging --to chat-${app}-production`),
      'heroku pipelines:promote -a chat-gateway-staging --to chat-gateway-production',
      `# then wait until every app answers version ${VERSION} on /version`,
    ]);
  });
});
