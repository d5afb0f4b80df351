import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { internalReferences, parseManifest, readManifest, resolveInternalHosts, ManifestError, parseSize } from '../../src';

const ROOT = resolve(__dirname, '../../../..');
const read = (vars: string) => readManifest(join(ROOT, 'manifest.yml'), { root: ROOT, varsFiles: [join(ROOT, 'vars', vars)] });
/** The app names manifest.yml lists, read as plain YAML (no vars), to compare readManifest with. */
const yamlAppNames = (): string[] =>
  (parseYaml(readFileSync(join(ROOT, 'manifest.yml'), 'utf8')) as { applications: { name: string }[] }).applications.map((app) => app.name);
/** The reference chat's apps in manifest order; scripts/new-app adds apps after them. */
const REFERENCE_APPS = ['ui', 'users', 'tokens', 'messages', 'push'];
const only = (list: string[], subset: string[]) => list.filter((item) => subset.includes(item));

/** A one-app manifest with `extra` lines added to the app; paths relative to the repository. */
function manifest(extra = '', app = 'users'): string {
  return [
    'applications:',
    `  - name: ${app}`,
    '    path: .',
    '    command: exec node app.js',
    '    memory: 128M',
    ...extra
      .split('\n')
      .filter(Boolean)
      .map((line) => `    ${line}`),
  ].join('\n');
}
const parse = (text: string, vars: Record<string, unknown> = {}) =>
  parseManifest(text, { file: 'manifest.yml', base: ROOT, vars, varsFiles: ['vars/test.yml'] });
const failure = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a ManifestError');
};

describe('readManifest with the repository manifest', () => {
  test.each(['staging.yml', 'production.yml', 'dev.yml'])('with vars/%s, then every app, process and route is read', (vars) => {
    const { apps } = read(vars);
    expect(apps.map((app) => app.name)).toEqual(yamlAppNames());
    expect(
      only(
        apps.map((app) => app.name),
        REFERENCE_APPS,
      ),
    ).toEqual(REFERENCE_APPS);
    for (const app of apps) {
      expect(app.path).toBe(ROOT);
      const web = app.processes[0];
      expect(web).toMatchObject({
        type: 'web',
        command: `exec node apps/${app.name}/dist/main.js`,
        memoryMb: app.name === 'users' ? 160 : 128,
        timeout: 30,
      });
      expect(web?.health).toMatchObject({ type: 'http', endpoint: '/health' });
      expect(web?.readiness).toMatchObject({ type: 'http', endpoint: '/ready' });
      expect(app.env.APP_VERSION).toMatch(/^\d+\.\d+\.\d+/);
      expect(app.env.JWKS_URL).toMatch(/^https?:\/\/[^(]+\/\.well-known\/jwks\.json$/);
      // The heap capped to fit the memory, and the young generation kept small: left to grow
      // under load it crowded the capped heap into collecting without end (bench/router).
      expect(app.env.NODE_OPTIONS?.split(' ').sort()).toEqual(['--max-old-space-size=80', '--max-semi-space-size=2']);
    }
  });

  test('with vars/staging.yml, then the public routes share one host, path-routed, plus one host per app', () => {
    const { apps } = read('staging.yml');
    const routes = Object.fromEntries(
      apps.map((app) => [app.name, app.routes.filter((route) => !route.internal).map((route) => route.route)]),
    );
    // Every app has its own host, last; the others share the path-routed host.
    for (const app of apps) {
      expect(routes[app.name]?.slice(-1)).toEqual([`chat-staging-${app.name}.apps.example.com`]);
      for (const route of routes[app.name]?.slice(0, -1) ?? []) expect(route).toMatch(/^chat-staging\.apps\.example\.com(\/|$)/);
    }
    expect(Object.fromEntries(REFERENCE_APPS.map((name) => [name, routes[name]]))).toEqual({
      ui: ['chat-staging.apps.example.com', 'chat-staging-ui.apps.example.com'],
      users: ['chat-staging.apps.example.com/api/users', 'chat-staging-users.apps.example.com'],
      tokens: [
        'chat-staging.apps.example.com/api/tokens',
        'chat-staging.apps.example.com/.well-known/jwks.json',
        'chat-staging-tokens.apps.example.com',
      ],
      messages: ['chat-staging.apps.example.com/api/messages', 'chat-staging-messages.apps.example.com'],
      push: ['chat-staging.apps.example.com/api/events', 'chat-staging-push.apps.example.com'],
    });
  });

  test('with vars/staging.yml, then tokens reaches users on its internal route, the one network policy the manifest needs', () => {
    const manifest = read('staging.yml');
    const internal = manifest.apps.flatMap((app) => app.routes.filter((route) => route.internal).map((route) => [app.name, route.route]));
    expect(internal).toEqual([['users', 'chat-staging-users.apps.internal']]);
    expect(manifest.apps.find((app) => app.name === 'users')?.env.INTERNAL_ROUTES_VIA_ROUTER).toBeUndefined();
    // What scripts/push derives the one cf network policy from (tokens -> users, port 8080).
    expect(internalReferences(manifest)).toEqual([
      { app: 'tokens', variable: 'USERS_URL', host: 'chat-staging-users.apps.internal', destination: 'users' },
    ]);
  });

  test('with vars/production.yml, then the messages worker is a process type with a process check and the bindings are listed', () => {
    const apps = Object.fromEntries(read('production.yml').apps.map((app) => [app.name, app]));
    expect(apps.messages?.processes.map((process) => [process.type, process.command, process.instances, process.health.type])).toEqual([
      ['web', 'exec node apps/messages/dist/main.js', 3, 'http'],
      ['worker', 'exec node apps/messages/dist/worker.js', 1, 'process'],
    ]);
    expect(apps.users?.services).toEqual(['users-db', 'event-bus', 'service-credentials']);
    expect(apps.tokens?.services).toEqual(['tokens-db', 'event-bus', 'service-credentials', 'token-keys']);
    expect(apps.tokens?.env.USERS_URL).toBe('http://chat-users.apps.internal:8080');
  });
});

describe('internal routes (the apps.internal domain)', () => {
  const twoApps = (env: string, route = 'users.apps.internal') =>
    `${manifest(`routes:\n  - route: ${route}`)}\n${manifest(`env:\n  USERS_URL: ${env}`, 'tokens').replace('applications:\n', '')}`;

  test('when an app has a route on apps.internal, then it is internal, and a caller naming it with :8080 needs a policy to it', () => {
    const read = parse(twoApps('http://users.apps.internal:8080'));
    expect(read.apps[0]?.routes).toEqual([{ route: 'users.apps.internal', host: 'users.apps.internal', path: '', internal: true }]);
    expect(internalReferences(read)).toEqual([{ app: 'tokens', variable: 'USERS_URL', host: 'users.apps.internal', destination: 'users' }]);
  });

  test('when an internal route has a path or a port, then it is refused: an internal route is a host', () => {
    expect(failure(() => parse(manifest('routes:\n  - route: users.apps.internal/api')))).toBe(
      'manifest.yml:7:9: app users: route "users.apps.internal/api" is on the internal domain apps.internal, where a route is a host only (no port, no path)',
    );
    expect(failure(() => parse(manifest('routes:\n  - route: users.apps.internal:9000')))).toMatch(/where a route is a host only/);
  });

  test.each([
    [
      'http://users.apps.internal',
      "manifest.yml: app tokens: env USERS_URL names users.apps.internal without a port: an internal route reaches the app's own port, users.apps.internal:8080",
    ],
    [
      'http://users.apps.internal:9000/x',
      "manifest.yml: app tokens: env USERS_URL names users.apps.internal with port 9000: an internal route reaches the app's own port, users.apps.internal:8080",
    ],
    [
      'http://nobody.apps.internal:8080',
      'manifest.yml: app tokens: env USERS_URL names nobody.apps.internal, which is no app\'s route (add "- route: nobody.apps.internal" to the app it should reach)',
    ],
  ])('when an env value names %s, then one line says what is wrong', (env, message) => {
    expect(failure(() => internalReferences(parse(twoApps(env))))).toBe(message);
  });

  test('when an instance is started, then an internal host with :8080 in its env becomes the local listener, and nothing else changes', () => {
    const addresses = new Map([['users.apps.internal', 45001]]);
    expect(
      resolveInternalHosts(
        { USERS_URL: 'http://Users.apps.internal:8080/x', OTHER: 'users.apps.internal.example.com', PLAIN: 'http://127.0.0.1:9' },
        addresses,
      ),
    ).toEqual({
      USERS_URL: 'http://127.0.0.1:45001/x',
      OTHER: 'users.apps.internal.example.com',
      PLAIN: 'http://127.0.0.1:9',
    });
  });
});

describe('parseManifest, bad input', () => {
  test('when the YAML is broken, then one line with its line and column', () => {
    expect(failure(() => parse('applications:\n  - name: users\n    env: {a: [1, 2}\n'))).toMatch(/^manifest\.yml:3:\d+: YAML error: /);
  });

  test('when an app has a key the cf CLI does not know, then its line and column', () => {
    expect(failure(() => parse(manifest('colour: blue')))).toBe('manifest.yml:6:5: unknown key "colour" in an app');
  });

  test('when an app uses a deprecated key, then the key that replaces it', () => {
    expect(failure(() => parse(manifest('buildpack: nodejs_buildpack')))).toBe(
      'manifest.yml:6:5: "buildpack" is deprecated in an app: use buildpacks (a list)',
    );
  });

  test('when an app path does not exist, then it is named', () => {
    expect(failure(() => parse(manifest().replace('path: .', 'path: apps/nowhere')))).toBe(
      'manifest.yml:3:11: app users: path apps/nowhere does not exist',
    );
  });

  test('when two apps claim the same route, then both are named', () => {
    const text = `${manifest('routes:\n  - route: chat.localhost/api')}\n${manifest('routes:\n  - route: chat.localhost/api/', 'tokens').replace('applications:\n', '')}`;
    expect(failure(() => parse(text))).toBe('manifest.yml:13:9: route chat.localhost/api/ is claimed by both users and tokens');
  });

  test('when memory is not a size, then the value and an example', () => {
    expect(failure(() => parse(manifest().replace('128M', '128')))).toBe(
      'manifest.yml:5:13: app users (web): memory 128 is not a size (e.g. 128M, 1G)',
    );
  });

  test('when the vars miss a variable the manifest uses, then the first use and the others', () => {
    const text = manifest('instances: ((web_instances))\nroutes:\n  - route: ((host)).((domain))');
    expect(failure(() => parse(text, { host: 'chat' }))).toBe(
      'manifest.yml:6:16: ((web_instances)) is not defined in vars/test.yml (also missing: domain)',
    );
  });

  test('when a whole value is a variable, then it keeps the variable type; inside text it is text', () => {
    const [app] = parse(manifest('instances: ((n))\nenv:\n  URL: https://((host)):((port))'), { n: 3, host: 'h', port: 443 }).apps;
    expect([app?.processes[0]?.instances, app?.env.URL]).toEqual([3, 'https://h:443']);
  });

  test('when there is no applications list, then it says what is expected', () => {
    expect(failure(() => parse('version: 1\n'))).toBe('manifest.yml:1:1: expected "applications:" with a list of apps');
  });

  test('when a route is not host.domain/path, then the route is named', () => {
    expect(failure(() => parse(manifest('routes:\n  - route: "http://x/y"')))).toBe(
      'manifest.yml:7:9: app users: route "http://x/y" is not host.domain[/path]',
    );
  });

  test('when a vars file does not exist, then it is named', () => {
    expect(failure(() => readManifest(join(ROOT, 'manifest.yml'), { root: ROOT, varsFiles: [join(ROOT, 'vars/nowhere.yml')] }))).toBe(
      'vars/nowhere.yml: cannot read the vars file (ENOENT)',
    );
  });
});

describe('parseSize', () => {
  test('when given cf sizes, then megabytes; when not a size, then undefined', () => {
    expect(['128M', '1G', '512mb', '2GB', '128', 'lots', '0M', 128].map(parseSize)).toEqual([
      128,
      1024,
      512,
      2048,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
