import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/errors';
import { boundNames, findBinding, readVcapServices } from '../../src/config/vcap';
import { thrownMessage } from '../support/errors';

const services = {
  'p.redis': [
    {
      name: 'users-db',
      binding_name: 'users-db',
      instance_name: 'redis-prod-1',
      label: 'p.redis',
      plan: 'small',
      tags: ['redis'],
      credentials: { host: 'h1' },
    },
    {
      name: 'redis-prod-2',
      binding_name: null,
      instance_name: 'redis-prod-2',
      label: 'p.redis',
      plan: 'small',
      tags: ['redis', 'event-bus'],
      credentials: { host: 'h2' },
    },
  ],
  'user-provided': [{ name: 'service-credentials', label: 'user-provided', tags: [], credentials: { key: 'k' } }],
};

describe('readVcapServices', () => {
  test('when VCAP_SERVICES is absent and no file is named, then no bindings', () => {
    expect(readVcapServices({})).toEqual({});
  });

  test('when VCAP_SERVICES is an object of arrays, then every binding is read with its label, tags and credentials', () => {
    const read = readVcapServices({ VCAP_SERVICES: JSON.stringify(services) });
    expect(Object.keys(read)).toEqual(['p.redis', 'user-provided']);
    expect(read['p.redis']).toHaveLength(2);
    expect(read['user-provided']?.[0]).toEqual({
      name: 'service-credentials',
      label: 'user-provided',
      tags: [],
      credentials: { key: 'k' },
    });
  });

  test('when a user-provided service has no plan and no tags, then it is still a binding', () => {
    const read = readVcapServices({ VCAP_SERVICES: JSON.stringify({ 'user-provided': [{ name: 'x', credentials: {} }] }) });
    expect(read['user-provided']?.[0]).toMatchObject({ name: 'x', label: 'user-provided', tags: [] });
    expect(read['user-provided']?.[0]?.plan).toBeUndefined();
  });

  test.each([
    ['{', /^VCAP_SERVICES: expected JSON \(an object keyed by service label\), got invalid JSON/],
    ['[]', /^VCAP_SERVICES: expected a JSON object keyed by service label$/],
    ['"text"', /^VCAP_SERVICES: expected a JSON object keyed by service label$/],
    ['{"redis":{"name":"a"}}', /^VCAP_SERVICES: expected an array of bindings under "redis"$/],
    ['{"redis":[{"credentials":{}}]}', /^VCAP_SERVICES: binding 0 under "redis" has no name$/],
  ])('when VCAP_SERVICES=%s, then one ConfigError line naming VCAP_SERVICES', (raw, expected) => {
    let caught: unknown;
    try {
      readVcapServices({ VCAP_SERVICES: raw });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe('VCAP_SERVICES');
    expect((caught as Error).message).toMatch(expected);
    expect((caught as Error).message).not.toContain('\n');
  });

  describe('VCAP_SERVICES_FILE_PATH', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'vcap-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test('when the variable is absent, then the named file is read', () => {
      const file = join(dir, 'vcap.json');
      writeFileSync(file, JSON.stringify(services));
      expect(boundNames(readVcapServices({ VCAP_SERVICES_FILE_PATH: file }))).toEqual(['users-db', 'redis-prod-2', 'service-credentials']);
    });

    test('when the variable is present too, then the variable wins', () => {
      const file = join(dir, 'other.json');
      writeFileSync(file, JSON.stringify(services));
      expect(readVcapServices({ VCAP_SERVICES: '{}', VCAP_SERVICES_FILE_PATH: file })).toEqual({});
    });

    test('when the file is missing, then one line naming the variable and the reason', () => {
      const message = thrownMessage(() => readVcapServices({ VCAP_SERVICES_FILE_PATH: join(dir, 'missing.json') }));
      expect(message).toMatch(/^VCAP_SERVICES_FILE_PATH \(.*missing\.json\): cannot read the file \(ENOENT\)$/);
    });

    test('when the file holds invalid JSON, then the message names the file', () => {
      const file = join(dir, 'bad.json');
      writeFileSync(file, '{');
      expect(thrownMessage(() => readVcapServices({ VCAP_SERVICES_FILE_PATH: file }))).toMatch(
        /^VCAP_SERVICES_FILE_PATH \(.*bad\.json\): expected JSON/,
      );
    });
  });
});

describe('findBinding', () => {
  const read = readVcapServices({ VCAP_SERVICES: JSON.stringify(services) });

  test('when asked by binding name, then that binding', () => {
    expect(findBinding(read, 'users-db')?.credentials).toEqual({ host: 'h1' });
  });

  test('when the binding has no binding name, then it is found by its instance name (its name)', () => {
    expect(findBinding(read, 'redis-prod-2')?.credentials).toEqual({ host: 'h2' });
  });

  test('when a binding name is set, then the instance name behind it does not find it', () => {
    expect(findBinding(read, 'redis-prod-1')).toBeUndefined();
  });

  test('when asked by tag, then the binding carrying it', () => {
    expect(findBinding(read, 'event-bus')?.name).toBe('redis-prod-2');
  });

  test('when a name and a tag both match, then the name wins', () => {
    const both = readVcapServices({
      VCAP_SERVICES: JSON.stringify({ a: [{ name: 'x', tags: ['cache'] }], b: [{ name: 'cache', tags: [] }] }),
    });
    expect(findBinding(both, 'cache')?.name).toBe('cache');
  });

  test('when asked by label or position, then nothing', () => {
    expect(findBinding(read, 'p.redis')).toBeUndefined();
    expect(findBinding(read, 'user-provided')).toBeUndefined();
    expect(findBinding(read, '0')).toBeUndefined();
  });
});
