/**
 * scripts/provision --target cf against a fake `cf` on PATH (lib/testing/fake-paas.ts): the
 * first run creates everything the manifest binds, in an order that works; the second only
 * checks, changes nothing and says so. Generated secrets reach the platform, never the output.
 */
import { createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT, sh } from '../../../../lib/testing/throwaway-repo';
import { fake, writes } from '../../../../lib/testing/fake-paas';

const provision = (args: string[], env: NodeJS.ProcessEnv = {}) => sh(path.join(ROOT, 'scripts', 'provision'), args, ROOT, env);

/** Every service binding of manifest.yml, once each, in the order the apps first bind them. */
const bindings = (): string[] => {
  const manifest = parseYaml(fs.readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8')) as { applications: { services?: string[] }[] };
  return [...new Set(manifest.applications.flatMap((app) => app.services ?? []))];
};
/** The service a cf write creates (the argument after the offering and plan, or after cups). */
const created = (call: string[]): string | undefined =>
  call[1] === 'create-service' ? call[4] : call[1] === 'create-user-provided-service' ? call[2] : undefined;

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

describe('scripts/provision --target cf --otlp-endpoint', () => {
  const apps = (): string[] => {
    const manifest = parseYaml(fs.readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8')) as { applications: { name: string }[] };
    return manifest.applications.map((app) => app.name);
  };

  test('the otel user-provided service holds the endpoint and headers, is bound to every app, each restarted; a second run binds nothing', () => {
    const cf = fake();
    cf.seed({ cf: { apps: Object.fromEntries(apps().map((app) => [app, { revisions: [], deployed: [] }])) } });
    const args = ['staging', '--target', 'cf', '--otlp-endpoint', 'https://otlp.example.com:4318', '--otlp-headers', 'x-api-key=s3cret'];
    const first = provision(args, cf.env);

    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    expect(cf.state().services.otel?.credentials).toEqual({ endpoint: 'https://otlp.example.com:4318', headers: 'x-api-key=s3cret' });
    expect(cf.state().bindings).toEqual(apps().map((app) => [app, 'otel']));
    const made = writes(cf.calls()).filter((call) => call.includes('otel') || call[1] === 'restart');
    expect(made[0]).toEqual(['cf', 'create-user-provided-service', 'otel', '-p', expect.stringMatching(/credentials\.json$/)]);
    expect(made.slice(1)).toEqual(
      apps().flatMap((app) => [
        ['cf', 'bind-service', app, 'otel'],
        ['cf', 'restart', app, '--strategy', 'rolling'],
      ]),
    );
    expect(first.stdout).toContain(
      `cf create-user-provided-service otel -p '{"endpoint":"https://otlp.example.com:4318","headers":"<given>"}'`,
    );
    expect(first.stdout).not.toContain('s3cret');

    const before = cf.calls().length;
    const second = provision(['staging', '--target', 'cf', '--otlp-endpoint', 'https://otlp2.example.com'], cf.env);
    expect(second.status).toBe(0);
    // The flags say what the service holds now; the bindings are there already.
    expect(writes(cf.calls().slice(before))).toEqual([
      ['cf', 'update-user-provided-service', 'otel', '-p', expect.stringMatching(/credentials\.json$/)],
    ]);
    expect(cf.state().services.otel?.credentials).toEqual({ endpoint: 'https://otlp2.example.com' });
  });

  test('when an app is not pushed yet, then it stops at that app, saying so', () => {
    const cf = fake();
    const result = provision(['staging', '--target', 'cf', '--otlp-endpoint', 'https://otlp.example.com'], cf.env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/app \w+: cf app \w+ --guid failed: App '\w+' not found/);
  });

  test.each([
    [['--otlp-endpoint', 'otlp.example.com'], '--otlp-endpoint takes an http:// or https:// URL'],
    [['--otlp-endpoint', 'https://key:s3cret@otlp.example.com'], '--otlp-endpoint must not carry credentials: put them in --otlp-headers'],
    [['--otlp-headers', 'a=b'], '--otlp-headers needs --otlp-endpoint'],
    [
      ['--otlp-endpoint', 'https://otlp.example.com', '--otlp-headers', 'a=b,oops'],
      '--otlp-headers takes key=value pairs separated by commas (entry 2 is not one)',
    ],
  ])('when %j, then the usage line and one line, exit 2', (flags, line) => {
    const result = provision(['staging', '--target', 'cf', ...flags], fake().env);
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^usage: scripts\/provision /), `provision: ${line}`]);
  });
});
