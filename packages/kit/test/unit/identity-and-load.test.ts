import { readAppIdentity } from '../../src/config/application';
import { DEVELOPMENT_REDIS_URL, loadAppConfig } from '../../src/config/load';
import { resolveSecret } from '../../src/config/secret';
import { readVcapServices } from '../../src/config/vcap';
import { thrownMessage } from '../support/errors';

const defaults = { app: 'users', version: '1.2.3' };
const vcapApplication = JSON.stringify({ application_name: 'users-staging', space_name: 'staging', application_version: 'c0ffee' });

describe('readAppIdentity', () => {
  test('when nothing is set, then the defaults and instance 0', () => {
    expect(readAppIdentity({}, defaults)).toEqual({ app: 'users', version: '1.2.3', commit: 'unknown', space: 'local', instance: '0' });
  });

  test('when on Cloud Foundry, then the name and space from VCAP_APPLICATION and the instance from CF_INSTANCE_INDEX', () => {
    const identity = readAppIdentity({ VCAP_APPLICATION: vcapApplication, CF_INSTANCE_INDEX: '2' }, defaults);
    expect(identity).toEqual({ app: 'users-staging', version: '1.2.3', commit: 'unknown', space: 'staging', instance: '2' });
  });

  test('when on Heroku, then the instance from DYNO and the commit from SOURCE_VERSION', () => {
    expect(readAppIdentity({ DYNO: 'web.1', SOURCE_VERSION: 'abc123' }, defaults)).toMatchObject({ instance: 'web.1', commit: 'abc123' });
  });

  test('when APP_VERSION and GIT_COMMIT are set, then they win', () => {
    expect(readAppIdentity({ APP_VERSION: '2.0.0', GIT_COMMIT: 'def', SOURCE_VERSION: 'abc' }, defaults)).toMatchObject({
      version: '2.0.0',
      commit: 'def',
    });
  });

  test.each(['{', '[1]', '"x"'])('when VCAP_APPLICATION=%s, then one line naming it', (raw) => {
    expect(thrownMessage(() => readAppIdentity({ VCAP_APPLICATION: raw }, defaults))).toBe(
      'VCAP_APPLICATION: expected a JSON object (application_name, space_name, ...)',
    );
  });
});

describe('loadAppConfig', () => {
  const schema = { usersUrl: { doc: 'users app', format: String, default: 'http://127.0.0.1:8080', env: 'USERS_URL' } };

  test('when the environment is valid, then base settings, app settings, identity and bindings together', () => {
    const vcap = JSON.stringify({ redis: [{ name: 'users-db', credentials: { host: 'h', port: '6380', password: 'pw' } }] });
    const config = loadAppConfig(
      schema,
      { PORT: '3000', USERS_URL: 'http://users', VCAP_SERVICES: vcap, CF_INSTANCE_INDEX: '1' },
      defaults,
    );
    expect(config.settings).toMatchObject({ port: 3000, usersUrl: 'http://users', logLevel: 'info' });
    expect(config.identity.instance).toBe('1');
    expect(config.redis('users-db')).toEqual({ url: 'redis://:pw@h:6380', source: 'VCAP_SERVICES binding "users-db"' });
  });

  test('when nothing names a Redis in development, then localhost', () => {
    expect(loadAppConfig(schema, {}, defaults).redis('users-db')).toEqual({ url: DEVELOPMENT_REDIS_URL, source: 'default' });
  });

  test('when nothing names a Redis in production, then a ConfigError instead of localhost', () => {
    const config = loadAppConfig(schema, { NODE_ENV: 'production' }, defaults);
    expect(thrownMessage(() => config.redis('users-db'))).toMatch(/^USERS_DB_URL: expected a redis:\/\/ or rediss:\/\/ URL/);
  });

  test.each([
    [{ PORT: 'abc' }, /^PORT: /],
    [{ VCAP_SERVICES: '{' }, /^VCAP_SERVICES: /],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
    [{ VCAP_APPLICATION: '{' }, /^VCAP_APPLICATION: /],
  ])('when %j, then the ConfigError names the variable', (env, expected) => {
    expect(thrownMessage(() => loadAppConfig(schema, env, defaults))).toMatch(expected);
  });
});

describe('resolveSecret', () => {
  const source = { variable: 'SERVICE_KEY', binding: 'service-credentials', field: 'key' };
  const services = readVcapServices({
    VCAP_SERVICES: JSON.stringify({ 'user-provided': [{ name: 'service-credentials', credentials: { key: 'from-binding-0123456789' } }] }),
  });

  test('when the variable is set, then it beats the binding', () => {
    expect(resolveSecret({ SERVICE_KEY: 'from-env-0123456789' }, services, source)).toBe('from-env-0123456789');
  });

  test('when only the binding has it, then the binding credentials field', () => {
    expect(resolveSecret({}, services, source)).toBe('from-binding-0123456789');
  });

  test('when neither has it, then undefined for the caller to judge', () => {
    expect(resolveSecret({}, {}, source)).toBeUndefined();
  });

  test('when it is too short, then one line naming where it came from and never the value', () => {
    const message = thrownMessage(() => resolveSecret({ SERVICE_KEY: 'short-value' }, {}, source));
    expect(message).toBe('SERVICE_KEY: expected a secret of at least 16 characters');
    expect(message).not.toContain('short-value');
  });
});
