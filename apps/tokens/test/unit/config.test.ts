import { ConfigError, loadAppConfig } from '@bundle/kit';
import { tokensSchema } from '../../src/config';

const load = (env: Record<string, string>) => loadAppConfig(tokensSchema, env, { app: 'tokens', version: '0.0.0' }).settings;

describe('tokensSchema', () => {
  test('when nothing is set, then the documented defaults', () => {
    expect(load({})).toMatchObject({
      usersUrl: 'http://127.0.0.1:8080',
      usersTimeoutMs: 5000,
      serviceKey: '',
      tokenIssuer: 'urn:chat:tokens',
      tokenAudience: 'urn:chat:api',
      tokenTtlSeconds: 3600,
      signingKey: '',
      loginMaxFailuresPerNicknameAndAddress: 5,
      loginMaxFailuresPerAddress: 20,
      loginFailureWindowSeconds: 900,
      trustedProxyHops: 1,
    });
  });

  test('when TOKEN_PREVIOUS_KEY_RETIRE_AFTER is set, then an ISO 8601 time is taken and anything else stops the process naming it', () => {
    expect(load({ TOKEN_PREVIOUS_KEY_RETIRE_AFTER: '2026-12-08T10:00:00.000Z' }).previousKeyRetireAfter).toBe('2026-12-08T10:00:00.000Z');
    expect(load({}).previousKeyRetireAfter).toBe('');
    expect(() => load({ TOKEN_PREVIOUS_KEY_RETIRE_AFTER: 'tomorrow' })).toThrow(
      /^TOKEN_PREVIOUS_KEY_RETIRE_AFTER: expected a time as ISO 8601/,
    );
  });

  test('when numbers come from the environment, then they are numbers', () => {
    const settings = load({
      TOKEN_TTL_SECONDS: '600',
      LOGIN_MAX_FAILURES_PER_NICKNAME_AND_ADDRESS: '3',
      LOGIN_FAILURE_WINDOW_SECONDS: '60',
      TRUSTED_PROXY_HOPS: '0',
      USERS_URL: 'https://users.example',
    });

    expect(settings).toMatchObject({
      tokenTtlSeconds: 600,
      loginMaxFailuresPerNicknameAndAddress: 3,
      loginFailureWindowSeconds: 60,
      trustedProxyHops: 0,
      usersUrl: 'https://users.example',
    });
  });

  test.each([
    ['USERS_URL', 'not a url'],
    ['USERS_URL', 'ftp://users.example'],
    ['TOKEN_TTL_SECONDS', '0'],
    ['LOGIN_MAX_FAILURES_PER_ADDRESS', 'many'],
    ['TRUSTED_PROXY_HOPS', '1x'],
    ['TRUSTED_PROXY_HOPS', '-1'],
  ])('when %s is %p, then a config error naming it', (variable, value) => {
    expect(() => load({ [variable]: value })).toThrow(ConfigError);
    expect(() => load({ [variable]: value })).toThrow(new RegExp(`^${variable}: `));
  });

  test('when a signing key is set, then it never appears in a config error', () => {
    let message = '';
    try {
      load({ TOKEN_SIGNING_KEY: 'sentinel-secret', TOKEN_TTL_SECONDS: 'x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^TOKEN_TTL_SECONDS: /);
    expect(message).not.toContain('sentinel');
  });
});
