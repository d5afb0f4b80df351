import fs from 'node:fs';
import path from 'node:path';
import { ROOT, sh } from './throwaway-repo';

const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
const push = (...args: string[]) => sh(path.join(ROOT, 'scripts', 'push'), args, ROOT);
const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('scripts/push --dry-run', () => {
  test('when the target is cf, then it prints the check, the build, cf target and a rolling cf push with the vars file', () => {
    const result = push('staging', '--target', 'cf', '--dry-run');

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(lines(result.stdout)).toEqual([
      'cf target',
      'scripts/build',
      'cf target -s staging',
      `cf push -f manifest.yml --vars-file vars/staging.yml --var version=${VERSION} --strategy rolling`,
      `# then wait until every app answers version ${VERSION} on /version`,
    ]);
  });

  test('when the target is heroku and the space is staging, then it prints a git push per Heroku app', () => {
    const result = push('staging', '--target', 'heroku', '--dry-run');

    expect(result.status).toBe(0);
    expect(lines(result.stdout)).toEqual([
      'heroku auth:whoami',
      'scripts/build',
      ...['users', 'tokens', 'messages', 'push', 'ui'].map((app) => `git push https://git.heroku.com/chat-${app}-staging.git HEAD:refs/heads/main`),
      `# then wait until every app answers version ${VERSION} on /version`,
    ]);
  });

  test('when the target is heroku and the space is production, then it prints a promotion per app and no build', () => {
    const result = push('production', '--target', 'heroku', '--dry-run');

    expect(result.status).toBe(0);
    expect(lines(result.stdout)).toEqual([
      'heroku auth:whoami',
      ...['users', 'tokens', 'messages', 'push', 'ui'].map((app) => `heroku pipelines:promote -a chat-${app}-staging --to chat-${app}-production`),
      `# then wait until every app answers version ${VERSION} on /version`,
    ]);
  });

  test('when the space has no vars file, then exit 2 with one line', () => {
    const result = push('qa', '--target', 'cf', '--dry-run');

    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('push.js: unknown space "qa": there is no vars/qa.yml\n');
  });

  test('when the target is unknown, then exit 2 with one line', () => {
    const result = push('staging', '--target', 'aws', '--dry-run');

    expect(result.status).toBe(2);
    expect(result.stderr).toBe('push.js: unknown target "aws" (known: local, cf, heroku)\n');
  });

  test('when cf is not installed, then a real push says so in one line and runs nothing', () => {
    const result = sh(path.join(ROOT, 'scripts', 'push'), ['staging', '--target', 'cf'], ROOT, { PATH: path.dirname(process.execPath) });

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual([expect.stringMatching(/^push\.js: cf is not installed: install the Cloud Foundry CLI/)]);
  });
});
