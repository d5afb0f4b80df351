/**
 * scripts/provision --target heroku against a fake `heroku` on PATH (lib/testing/fake-paas.ts):
 * the first run creates the apps and the gateway, their pipeline, Redis, config vars and
 * buildpacks in an order that works; the second only checks, changes nothing and says so.
 * Generated secrets reach the platform, never the output.
 */
import { createPublicKey } from 'node:crypto';
import path from 'node:path';
import { ROOT, sh } from '../../../../lib/testing/throwaway-repo';
import { herokuAppsOf, manifestAppNames, only } from '../../../../lib/testing/bundle-apps';
import { fake, writes } from '../../../../lib/testing/fake-paas';

const provision = (args: string[], env: NodeJS.ProcessEnv = {}) => sh(path.join(ROOT, 'scripts', 'provision'), args, ROOT, env);

describe('scripts/provision --target heroku', () => {
  test('the first run creates the apps, then the pipeline, the Redis, config vars and buildpacks; the second changes nothing', () => {
    const heroku = fake();
    const first = provision(['staging', '--target', 'heroku'], heroku.env);

    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    const made = writes(heroku.calls()).map((call) => call.slice(1).join(' '));
    // heroku.json's apps: every app of the manifest, the reference five in their order.
    const bundleApps = Object.keys(herokuAppsOf('staging'));
    expect(only(bundleApps, ['users', 'tokens', 'messages', 'push', 'ui'])).toEqual(['users', 'tokens', 'messages', 'push', 'ui']);
    expect([...bundleApps].sort()).toEqual(manifestAppNames().sort());
    // The apps, then the gateway (heroku.json gateway.staging): all of them in the pipeline.
    const apps = [...bundleApps.map((app) => `chat-${app}-staging`), 'chat-gateway-staging'];
    expect(made.slice(0, apps.length)).toEqual(apps.map((name) => `apps:create ${name} --no-remote`));
    expect(made[apps.length]).toBe('pipelines:create chat -a chat-users-staging --stage staging');
    // Then the other apps join the pipeline, and the Redis add-on comes next.
    expect(made.slice(apps.length + 1, 2 * apps.length).map((call) => call.split(' ')[0])).toEqual(
      apps.slice(1).map(() => 'pipelines:add'),
    );
    expect(made[2 * apps.length]).toBe('addons:create heroku-redis:mini -a chat-users-staging --name chat-redis-staging --wait');
    // The gateway last: each app's web URL under its config var, and the nginx buildpack alone.
    expect(made.slice(-3)).toEqual([
      `config:set -a chat-gateway-staging ${['tokens', 'messages', 'push', 'users', 'ui']
        .map((app) => `${app.toUpperCase()}_URL=https://chat-${app}-staging-0123456789ab.herokuapp.com`)
        .join(' ')}`,
      'buildpacks:clear -a chat-gateway-staging',
      'buildpacks:add -a chat-gateway-staging heroku-community/nginx',
    ]);

    const state = heroku.state();
    expect(state.pipelines.chat).toEqual(apps);
    const users = state.apps['chat-users-staging'];
    const tokens = state.apps['chat-tokens-staging'];
    expect(Object.keys(users?.config ?? {}).sort()).toEqual(
      [
        'REDIS_URL',
        'USERS_DB_URL',
        'EVENT_BUS_URL',
        'PROCFILE',
        'NODE_ENV',
        'NODE_OPTIONS',
        'TOKEN_ISSUER',
        'TOKEN_AUDIENCE',
        'JWKS_URL',
        'SERVICE_KEY',
        'INTERNAL_ROUTES_VIA_ROUTER',
        'REGISTRATIONS_PER_ADDRESS',
        'REDIS_TLS_REJECT_UNAUTHORIZED',
        'TRUSTED_PROXY_HOPS',
      ].sort(),
    );
    // Heroku's router, the gateway and Heroku's router again each append to X-Forwarded-For.
    expect([users?.config.TRUSTED_PROXY_HOPS, tokens?.config.TRUSTED_PROXY_HOPS]).toEqual(['3', '3']);
    expect(state.apps['chat-messages-staging']?.config).not.toHaveProperty('TRUSTED_PROXY_HOPS');
    // Heroku Redis speaks TLS with a self-signed certificate: every app with a Redis must accept it, the ui has none.
    for (const app of ['users', 'tokens', 'messages', 'push'])
      expect(state.apps[`chat-${app}-staging`]?.config.REDIS_TLS_REJECT_UNAUTHORIZED).toBe('false');
    expect(state.apps['chat-ui-staging']?.config).not.toHaveProperty('REDIS_TLS_REJECT_UNAUTHORIZED');
    expect(tokens?.config).toMatchObject({
      PROCFILE: 'heroku/tokens.Procfile',
      TOKENS_DB_URL: expect.any(String),
      EVENT_BUS_URL: expect.any(String),
      USERS_URL: 'https://chat-users-staging-0123456789ab.herokuapp.com',
      JWKS_URL: 'https://chat-tokens-staging-0123456789ab.herokuapp.com/.well-known/jwks.json',
      SERVICE_KEY: users?.config.SERVICE_KEY,
    });
    expect(createPublicKey(tokens?.config.TOKEN_SIGNING_KEY ?? '').asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(state.apps['chat-push-staging']?.config).not.toHaveProperty('SERVICE_KEY');
    expect(state.apps['chat-ui-staging']?.buildpacks).toEqual([
      'https://github.com/heroku/heroku-buildpack-multi-procfile',
      'heroku/nodejs',
    ]);
    expect(first.stdout).not.toContain(users?.config.SERVICE_KEY);
    expect(first.stdout).not.toContain((tokens?.config.TOKEN_SIGNING_KEY ?? '').split('\n')[1]);
    expect(first.stdout).toContain('SERVICE_KEY=<generated>');

    const before = heroku.calls().length;
    const second = provision(['staging', '--target', 'heroku'], heroku.env);

    expect(second.status).toBe(0);
    expect(writes(heroku.calls().slice(before))).toEqual([]);
    expect(second.stdout.trim().split('\n').pop()).toMatch(/^provision: staging on heroku: nothing to change, all \d+ items exist$/);

    // Production joins the same pipeline at its own stage, with its own keys.
    const production = provision(['production', '--target', 'heroku'], heroku.env);
    expect(production.status).toBe(0);
    expect(heroku.state().pipelines.chat).toEqual([...apps, ...apps.map((name) => name.replace('staging', 'production'))]);
    expect(heroku.state().apps['chat-users-production']?.config.SERVICE_KEY).not.toBe(users?.config.SERVICE_KEY);
  });
});
