/**
 * Where the pipeline's journeys reach a Heroku space: the base URL is the gateway's web URL
 * (heroku.json gateway; public_urls or E2E_<SPACE>_URL instead when set), and each app's /version is asked on
 * that app's own web URL: heroku.json web_urls, else what `heroku apps:info` says, else
 * https://<app>.herokuapp.com, unless E2E_<SPACE>_APP_URL says otherwise.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../../../lib/testing/throwaway-repo';
import { herokuAppsOf, manifestAppNames, only } from '../../../../lib/testing/bundle-apps';

/** scripts/pipeline's journeyTarget in a process of its own, with no Heroku CLI on PATH. */
function e2eTarget(space: string, env: NodeJS.ProcessEnv = {}): unknown {
  const script = `require('./scripts/commands/pipeline').journeyTarget('heroku', ${JSON.stringify(space)}).then((r) => process.stdout.write(JSON.stringify(r)))`;
  const result = spawnSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: path.dirname(process.execPath), ...env },
  });
  return JSON.parse(result.stdout);
}

/** Each app of heroku.json (every app of the manifest; the reference five in their order) on its own herokuapp.com host. */
function herokuApps(space: string): string {
  const apps = Object.keys(herokuAppsOf(space));
  expect(only(apps, ['users', 'tokens', 'messages', 'push', 'ui'])).toEqual(['users', 'tokens', 'messages', 'push', 'ui']);
  expect([...apps].sort()).toEqual(manifestAppNames().sort());
  return apps.map((app) => `${app}=https://chat-${app}-${space}.herokuapp.com`).join(',');
}

describe('the journeys against a Heroku space', () => {
  test("by default: the space's gateway on its herokuapp.com host, and each app on its own", () => {
    expect(e2eTarget('staging')).toEqual({
      base: 'https://chat-gateway-staging.herokuapp.com',
      args: ['--app-url', herokuApps('staging')],
    });
  });

  test('with public_urls in heroku.json: that base (a custom domain on the gateway)', () => {
    const script = `const apps = require('./scripts/targets/heroku/apps');
      const read = apps.readConfig; apps.readConfig = () => ({ ...read(), public_urls: { staging: 'https://chat.example.org' } });
      require('./scripts/targets/heroku/journeys').where('staging', { appUrlArgs: [], variable: 'E2E_STAGING_URL' }).then((r) => process.stdout.write(r.base));`;
    const result = spawnSync(process.execPath, ['-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: path.dirname(process.execPath) },
    });
    expect(result.stdout).toBe('https://chat.example.org');
  });

  test('with E2E_PRODUCTION_URL only: that base, the apps still on their own hosts', () => {
    expect(e2eTarget('production', { E2E_PRODUCTION_URL: 'https://front.example.net' })).toEqual({
      base: 'https://front.example.net',
      args: ['--app-url', herokuApps('production')],
    });
  });

  test('with E2E_STAGING_APP_URL: that instead', () => {
    expect(e2eTarget('staging', { E2E_STAGING_APP_URL: 'https://{app}.example.net' })).toEqual({
      base: 'https://chat-gateway-staging.herokuapp.com',
      args: ['--app-url', 'https://{app}.example.net'],
    });
  });
});
