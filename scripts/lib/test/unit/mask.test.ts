/**
 * What scripts/env shows of an app's environment (lib/mask.js): every value, secrets as
 * <hidden>, where they point still readable.
 */
const { maskEnv, shownPair } = require('../../mask') as {
  maskEnv: (env: Record<string, string>) => Record<string, string>;
  shownPair: (name: string, value: string) => string;
};

describe('maskEnv', () => {
  test('when a name says it holds a secret, then its value is hidden; names that say where are shown', () => {
    expect(
      maskEnv({
        SERVICE_KEY: 'k-123',
        TOKEN_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----',
        GITHUB_TOKEN: 'ghp_x',
        SESSION_SECRET: 's',
        DB_PASSWORD: 'p',
        TOKEN_ISSUER: 'urn:chat:tokens',
        JWKS_URL: 'https://chat.example.com/.well-known/jwks.json',
        EMPTY_KEY: '',
      }),
    ).toEqual({
      SERVICE_KEY: '<hidden>',
      TOKEN_SIGNING_KEY: '<hidden>',
      GITHUB_TOKEN: '<hidden>',
      SESSION_SECRET: '<hidden>',
      DB_PASSWORD: '<hidden>',
      TOKEN_ISSUER: 'urn:chat:tokens',
      JWKS_URL: 'https://chat.example.com/.well-known/jwks.json',
      EMPTY_KEY: '',
    });
  });

  test('when a URL carries credentials, then its password (or a lone user name) is hidden and the host shown', () => {
    expect(maskEnv({ REDIS_URL: 'rediss://:s3cret@ec2.example.com:6380', OTHER_URL: 'https://tok3n@api.example.com/x' })).toEqual({
      REDIS_URL: 'rediss://:<hidden>@ec2.example.com:6380',
      OTHER_URL: 'https://<hidden>@api.example.com/x',
    });
  });

  test("when VCAP_SERVICES binds a Redis, then each binding's credentials are hidden but host, port and the masked URI", () => {
    const services = {
      'p.redis': [
        {
          name: 'users-db',
          label: 'p.redis',
          plan: 'cache-small',
          tags: ['redis'],
          credentials: { host: '10.0.0.5', port: 6379, password: 'pw', uri: 'redis://:pw@10.0.0.5:6379' },
        },
      ],
      'user-provided': [{ name: 'service-credentials', label: 'user-provided', credentials: { key: 'the-key' } }],
    };

    const shown = JSON.parse(maskEnv({ VCAP_SERVICES: JSON.stringify(services) }).VCAP_SERVICES as string);

    expect(shown).toEqual({
      'p.redis': [
        {
          name: 'users-db',
          label: 'p.redis',
          plan: 'cache-small',
          tags: ['redis'],
          credentials: { host: '10.0.0.5', port: 6379, password: '<hidden>', uri: 'redis://:<hidden>@10.0.0.5:6379' },
        },
      ],
      'user-provided': [{ name: 'service-credentials', label: 'user-provided', credentials: { key: '<hidden>' } }],
    });
  });

  test('when VCAP_SERVICES is not JSON, then it is hidden whole', () => {
    expect(maskEnv({ VCAP_SERVICES: '{"p.redis": [' })).toEqual({ VCAP_SERVICES: '<hidden>' });
  });
});

describe('shownPair', () => {
  test('when set-env prints a step, then a secret shows as <hidden> and the rest as given', () => {
    expect([shownPair('SERVICE_KEY', 'abc'), shownPair('LOG_LEVEL', 'debug')]).toEqual(['SERVICE_KEY=<hidden>', 'LOG_LEVEL=debug']);
  });
});
