import { ConfigError, loadAppConfig } from '@bundle/kit';
import { readServiceKey, scryptParams, usersSchema } from '../../src/config';
import { serviceKeyMatches } from '../../src/domain/service-key';

const KEY = 'a-service-key-of-32-characters-x';
const binding = (key: string) => ({
  'user-provided': [{ name: 'service-credentials', label: 'user-provided', tags: [], credentials: { key } }],
});

describe('usersSchema', () => {
  test('when nothing is set, then the contract defaults', () => {
    const config = loadAppConfig(usersSchema, {}, { app: 'users', version: '1.0.0' });

    expect(config.settings).toEqual(
      expect.objectContaining({
        jwksUrl: 'http://127.0.0.1:8080/.well-known/jwks.json',
        tokenIssuer: 'urn:chat:tokens',
        tokenAudience: 'urn:chat:api',
        scryptLogN: 15,
        port: 8080,
      }),
    );
  });

  test('when nothing is set, then one hash at a time, 8 waiting, 5 registrations per address per 10 minutes, one trusted router', () => {
    const { settings } = loadAppConfig(usersSchema, {}, { app: 'users', version: '1.0.0' });

    expect([
      settings.hashConcurrency,
      settings.hashQueueLimit,
      settings.registrationsPerAddress,
      settings.registrationWindowSeconds,
      settings.trustedProxyHops,
    ]).toEqual([1, 8, 5, 600, 1]);
  });

  test('when the limits are set, then they are read as numbers', () => {
    const env = {
      HASH_CONCURRENCY: '2',
      HASH_QUEUE_LIMIT: '0',
      REGISTRATIONS_PER_ADDRESS: '100',
      REGISTRATION_WINDOW_SECONDS: '60',
      TRUSTED_PROXY_HOPS: '2',
    };

    const { settings } = loadAppConfig(usersSchema, env, { app: 'users', version: '1.0.0' });

    expect([
      settings.hashConcurrency,
      settings.hashQueueLimit,
      settings.registrationsPerAddress,
      settings.registrationWindowSeconds,
      settings.trustedProxyHops,
    ]).toEqual([2, 0, 100, 60, 2]);
  });

  test.each([
    ['HASH_CONCURRENCY', '0'],
    ['HASH_QUEUE_LIMIT', '-1'],
    ['REGISTRATIONS_PER_ADDRESS', 'many'],
    ['TRUSTED_PROXY_HOPS', '1x'],
  ])('when %s is %s, then one line naming it', (variable, value) => {
    expect(() => loadAppConfig(usersSchema, { [variable]: value }, { app: 'users', version: '1.0.0' })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(new RegExp(`^${variable}: `)) }),
    );
  });

  test('when JWKS_URL is not a URL, then one line naming it', () => {
    expect(() => loadAppConfig(usersSchema, { JWKS_URL: 'not a url' }, { app: 'users', version: '1.0.0' })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/^JWKS_URL: /) }),
    );
  });
});

describe('readServiceKey', () => {
  test('when SERVICE_KEY is set, then it wins over the binding', () => {
    expect(readServiceKey({ SERVICE_KEY: KEY }, binding(`${KEY}-from-binding`), 'production')).toBe(KEY);
  });

  test('when only the binding has it, then the binding', () => {
    expect(readServiceKey({}, binding(KEY), 'production')).toBe(KEY);
  });

  test('when none is set outside production, then undefined (the route answers 503)', () => {
    expect(readServiceKey({}, {}, 'development')).toBeUndefined();
  });

  test('when none is set in production, then a ConfigError naming SERVICE_KEY', () => {
    expect(() => readServiceKey({}, {}, 'production')).toThrow(ConfigError);
    expect(() => readServiceKey({}, {}, 'production')).toThrow(/^SERVICE_KEY: required in production/);
  });

  test('when the key is a short placeholder, then a ConfigError that does not show it', () => {
    expect(() => readServiceKey({ SERVICE_KEY: 'changeme' }, {}, 'development')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('changeme') }),
    );
  });
});

describe('scryptParams', () => {
  test('when SCRYPT_LOG_N is within 10..20, then N = 2^value; otherwise a ConfigError', () => {
    expect(scryptParams(15)).toEqual({ N: 32768, r: 8, p: 3 });
    expect(() => scryptParams(9)).toThrow(/^SCRYPT_LOG_N: /);
    expect(() => scryptParams(21)).toThrow(ConfigError);
  });
});

describe('serviceKeyMatches', () => {
  test('when the keys are equal, then true; when they differ in any way (length too), then false', () => {
    expect(serviceKeyMatches(KEY, KEY)).toBe(true);
    expect(serviceKeyMatches(`${KEY}x`, KEY)).toBe(false);
    expect(serviceKeyMatches(KEY.slice(1), KEY)).toBe(false);
    expect(serviceKeyMatches('', KEY)).toBe(false);
  });
});
