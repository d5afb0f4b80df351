import { ConfigError, type VcapServices } from '@bundle/kit';
import type { TokensSettings } from '../../src/config';
import { readSecrets } from '../../src/secrets';

const settings = (overrides: Partial<TokensSettings> = {}): TokensSettings => ({
  usersUrl: 'http://127.0.0.1:8080',
  usersTimeoutMs: 2000,
  serviceKey: '',
  tokenIssuer: 'urn:chat:tokens',
  tokenAudience: 'urn:chat:api',
  tokenTtlSeconds: 3600,
  signingKey: '',
  signingKeyId: '',
  previousPublicKey: '',
  previousKeyId: '',
  previousKeyRetireAfter: '',
  loginMaxFailuresPerNicknameAndAddress: 5,
  loginMaxFailuresPerAddress: 20,
  loginFailureWindowSeconds: 900,
  trustedProxyHops: 1,
  ...overrides,
});

const binding = (name: string, credentials: Record<string, unknown>) => ({ name, label: 'user-provided', tags: [], credentials });
const services: VcapServices = {
  'user-provided': [
    binding('token-keys', {
      signing_key: 'bound-key',
      key_id: 'bound-kid',
      previous_public_key: 'bound-previous',
      previous_key_id: 'bound-previous-kid',
    }),
    binding('service-credentials', { key: 'bound-service-key-0123456789' }),
  ],
};

describe('readSecrets', () => {
  test('when nothing is set, then nothing is found', () => {
    expect(readSecrets(settings(), {})).toEqual({
      serviceKey: undefined,
      keys: { signingKey: undefined, signingKeyId: undefined, previousPublicKey: undefined, previousKeyId: undefined },
    });
  });

  test('when only the bindings hold them, then they come from the bindings, named as such', () => {
    expect(readSecrets(settings(), services)).toEqual({
      serviceKey: 'bound-service-key-0123456789',
      keys: {
        signingKey: { value: 'bound-key', where: 'binding "token-keys" credentials.signing_key', variable: 'TOKEN_SIGNING_KEY' },
        signingKeyId: 'bound-kid',
        previousPublicKey: {
          value: 'bound-previous',
          where: 'binding "token-keys" credentials.previous_public_key',
          variable: 'TOKEN_PREVIOUS_PUBLIC_KEY',
        },
        previousKeyId: 'bound-previous-kid',
      },
    });
  });

  test('when variables are set as well, then the variables win', () => {
    const secrets = readSecrets(
      settings({ serviceKey: 'env-service-key-0123456789', signingKey: 'env-key', signingKeyId: 'env-kid' }),
      services,
    );

    expect(secrets.serviceKey).toBe('env-service-key-0123456789');
    expect(secrets.keys.signingKey).toEqual({ value: 'env-key', where: 'TOKEN_SIGNING_KEY', variable: 'TOKEN_SIGNING_KEY' });
    expect(secrets.keys.signingKeyId).toBe('env-kid');
  });

  test('when the service key is too short to be a secret, then a config error without its value', () => {
    expect(() => readSecrets(settings({ serviceKey: 'short' }), {})).toThrow(ConfigError);
    expect(() => readSecrets(settings({ serviceKey: 'short' }), {})).toThrow(/^SERVICE_KEY: expected a secret of at least 16 characters$/);
  });
});
