/**
 * scripts/provision against fake `cf` and `heroku` executables on PATH
 * (fixtures/fake-paas.js) that record every call and remember what was created: the first
 * run creates everything the manifest binds (cf) or the Heroku set-up needs, in an order
 * that works; the second run only checks, changes nothing and says so. Generated secrets
 * reach the platform and never the output.
 */
import { createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT, sh } from '../../../lib/testing/throwaway-repo';
import { herokuAppsOf, manifestAppNames, only } from '../../../lib/testing/bundle-apps';

const USAGE = 'usage: scripts/provision <space> --target cf|heroku [--dry-run]';
const provision = (args: string[], env: NodeJS.ProcessEnv = {}) => sh(path.join(ROOT, 'scripts', 'provision'), args, ROOT, env);

interface Fake {
  env: NodeJS.ProcessEnv;
  calls: () => string[][];
  state: () => {
    spaces: string[];
    services: Record<string, { offering?: string; plan?: string; credentials?: Record<string, string> }>;
    apps: Record<string, { config: Record<string, string>; buildpacks: string[] }>;
    pipelines: Record<string, string[]>;
    addons: string[];
  };
}

function fake(): Fake {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-paas-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  for (const tool of ['cf', 'heroku'])
    fs.copyFileSync(path.join(__dirname, '..', '..', '..', 'lib', 'testing', 'fixtures', 'fake-paas.js'), path.join(bin, tool));
  for (const tool of ['cf', 'heroku']) fs.chmodSync(path.join(bin, tool), 0o755);
  const read = (file: string) => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), 'utf8') : '');
  return {
    env: { PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}/usr/bin:/bin`, FAKE_STATE: dir },
    calls: () =>
      read('calls')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[]),
    state: () => JSON.parse(read('state.json')),
  };
}

/** Every service binding of manifest.yml, once each, in the order the apps first bind them. */
const bindings = (): string[] => {
  const manifest = parseYaml(fs.readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8')) as { applications: { services?: string[] }[] };
  return [...new Set(manifest.applications.flatMap((app) => app.services ?? []))];
};
/** The service a cf write creates (the argument after the offering and plan, or after cups). */
const created = (call: string[]): string | undefined =>
  call[1] === 'create-service' ? call[4] : call[1] === 'create-user-provided-service' ? call[2] : undefined;

const writes = (calls: string[][]) =>
  calls.filter(
    ([tool, command]) =>
      ![
        'target',
        'space',
        'service',
        'auth:whoami',
        'apps:info',
        'pipelines:info',
        'addons:info',
        'config',
        'config:get',
        'buildpacks',
      ].includes(command ?? '') || tool === undefined,
  );

describe('scripts/provision --target cf', () => {
  test('the first run creates the space, a Redis per binding and the user-provided services; the second changes nothing and says so', () => {
    const cf = fake();
    const first = provision(['staging', '--target', 'cf'], cf.env);

    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    const reference = ['users-db', 'event-bus', 'service-credentials', 'tokens-db', 'token-keys', 'messages-db'];
    const made = writes(cf.calls());
    expect(made[0]).toEqual(['cf', 'create-space', 'staging']);
    expect(made.slice(1).filter((call) => reference.includes(created(call) ?? ''))).toEqual([
      ['cf', 'create-service', 'p.redis', 'cache-small', 'users-db', '--wait'],
      ['cf', 'create-service', 'p.redis', 'cache-small', 'event-bus', '--wait'],
      ['cf', 'create-user-provided-service', 'service-credentials', '-p', expect.stringMatching(/credentials\.json$/)],
      ['cf', 'create-service', 'p.redis', 'cache-small', 'tokens-db', '--wait'],
      ['cf', 'create-user-provided-service', 'token-keys', '-p', expect.stringMatching(/credentials\.json$/)],
      ['cf', 'create-service', 'p.redis', 'cache-small', 'messages-db', '--wait'],
    ]);
    // Each binding of the manifest is created once, in the order the apps first bind it; a
    // binding of an added app is a Redis of its own (p.redis, the vars' plan).
    expect(made.slice(1).map(created)).toEqual(bindings());
    for (const call of made.slice(1).filter((call) => !reference.includes(created(call) ?? ''))) {
      expect(call).toEqual(['cf', 'create-service', 'p.redis', 'cache-small', created(call), '--wait']);
    }
    // The target comes before any service is checked or created.
    const calls = cf.calls().map((call) => call.slice(1, 3).join(' '));
    expect(calls.indexOf('target -s')).toBeLessThan(calls.indexOf('service users-db'));

    const { services } = cf.state();
    const key = services['service-credentials']?.credentials?.key ?? '';
    const pem = services['token-keys']?.credentials?.signing_key ?? '';
    expect(key.length).toBeGreaterThanOrEqual(32);
    expect(createPublicKey(pem).asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(first.stdout).not.toContain(key);
    expect(first.stdout).not.toContain(pem.split('\n')[1]);
    expect(first.stdout).toContain(`cf create-user-provided-service service-credentials -p '{"key":"<generated>"}'`);
    // The secret file cf read is gone.
    const secretFile = cf.calls().find((call) => call[1] === 'create-user-provided-service')?.[4] ?? '';
    expect(fs.existsSync(secretFile)).toBe(false);

    const before = cf.calls().length;
    const second = provision(['staging', '--target', 'cf'], cf.env);

    expect(second.status).toBe(0);
    expect(writes(cf.calls().slice(before))).toEqual([]);
    expect(second.stdout.trim().split('\n').pop()).toBe(
      `provision: staging on cf: nothing to change, all ${1 + bindings().length} items exist`,
    );
    expect(cf.state().services['service-credentials']?.credentials?.key).toBe(key);
  });

  test('--dry-run runs nothing and shows <generated> for the secrets', () => {
    const cf = fake();
    const result = provision(['production', '--target', 'cf', '--dry-run'], cf.env);

    expect(result.status).toBe(0);
    expect(cf.calls()).toEqual([]);
    expect(result.stdout).toContain(`cf create-user-provided-service token-keys -p '{"signing_key":"<generated>"}'\n`);
    expect(result.stdout).toContain('cf create-service p.redis cache-small event-bus --wait\n');
  });
});

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
    const apps = bundleApps.map((app) => `chat-${app}-staging`);
    expect(made.slice(0, apps.length)).toEqual(apps.map((name) => `apps:create ${name} --no-remote`));
    expect(made[apps.length]).toBe('pipelines:create chat -a chat-users-staging --stage staging');
    // Then the other apps join the pipeline, and the Redis add-on comes next.
    expect(made.slice(apps.length + 1, 2 * apps.length).map((call) => call.split(' ')[0])).toEqual(
      apps.slice(1).map(() => 'pipelines:add'),
    );
    expect(made[2 * apps.length]).toBe('addons:create heroku-redis:mini -a chat-users-staging --name chat-redis-staging --wait');

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
      ].sort(),
    );
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

describe('scripts/provision arguments', () => {
  test.each([
    [['staging'], 'provision.js: which target? --target cf or --target heroku'],
    [['staging', '--target', 'aws'], 'provision.js: unknown target "aws" (known: cf, heroku)'],
    [['qa', '--target', 'cf'], 'provision.js: unknown space "qa": there is no vars/qa.yml'],
    [['qa', '--target', 'heroku'], 'provision.js: unknown space "qa": heroku.json names no apps for it'],
    [
      ['dev', '--target', 'cf'],
      'provision.js: vars/dev.yml needs redis_offering and redis_plan (the Redis offering and plan of cf marketplace)',
    ],
    [['--target', 'cf'], 'provision.js: which space?'],
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
      stderr: 'provision.js: cf is not installed: install the Cloud Foundry CLI v8 (https://github.com/cloudfoundry/cli#downloads)\n',
    });
  });
});
