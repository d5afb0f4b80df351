import { tokenCheckSchema } from '../../src/auth/settings';
import { baseSchema, loadSettings } from '../../src/config/settings';

function bootError(env: Record<string, string>, schema: Parameters<typeof loadSettings>[0] = baseSchema): string {
  try {
    loadSettings(schema, env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a config error');
}

describe('loadSettings', () => {
  test('when nothing is set, then the documented defaults', () => {
    expect(loadSettings(baseSchema, {})).toEqual({
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'info',
      shutdownGraceMs: 8000,
      readinessTimeoutMs: 1000,
      redisTlsRejectUnauthorized: true,
      nodeEnv: 'development',
    });
  });

  test('when PORT is a number in a string, then it is typed as a number', () => {
    expect(loadSettings(baseSchema, { PORT: '3000' }).port).toBe(3000);
  });

  test.each([
    [{ PORT: 'abc' }, /^PORT: expected a port number from 0 to 65535: value was "abc"$/],
    [{ PORT: '70000' }, /^PORT: expected a port number from 0 to 65535: value was 70000$/],
    // parseInt would read these as 8080, 1 and 80: each must stop the process instead.
    [{ PORT: '8080x' }, /^PORT: expected a port number from 0 to 65535: value was "8080x"$/],
    [{ PORT: '1.5' }, /^PORT: expected a port number from 0 to 65535: value was "1.5"$/],
    [{ PORT: ' 80' }, /^PORT: expected a port number from 0 to 65535/],
    [{ PORT: '' }, /^PORT: expected a port number from 0 to 65535$/],
    [{ SHUTDOWN_GRACE_MS: '5s' }, /^SHUTDOWN_GRACE_MS: expected a positive whole number: value was "5s"$/],
    [{ SHUTDOWN_GRACE_MS: '0' }, /^SHUTDOWN_GRACE_MS: expected a positive whole number/],
    [{ REDIS_TLS_REJECT_UNAUTHORIZED: 'no' }, /^REDIS_TLS_REJECT_UNAUTHORIZED: expected true or false: value was "no"$/],
    [{ REDIS_TLS_REJECT_UNAUTHORIZED: '0' }, /^REDIS_TLS_REJECT_UNAUTHORIZED: expected true or false/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent/],
    [{ SHUTDOWN_GRACE_MS: '-1' }, /^SHUTDOWN_GRACE_MS: expected a positive whole number/],
    [{ HOST: '  ' }, /^HOST: expected a non-empty string/],
    [{ READINESS_TIMEOUT_MS: 'soon' }, /^READINESS_TIMEOUT_MS: expected a positive whole number/],
    [{ NODE_ENV: 'prod' }, /^NODE_ENV: .*\(expected one of development, production, test\)$/],
  ])('when %j, then one line naming the variable', (env, expected) => {
    const message = bootError(env);
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });

  test('when HOST and the numbers are set, then they are typed', () => {
    expect(
      loadSettings(baseSchema, {
        HOST: '127.0.0.1',
        SHUTDOWN_GRACE_MS: '25000',
        REDIS_TLS_REJECT_UNAUTHORIZED: 'false',
        LOG_LEVEL: 'warn',
      }),
    ).toMatchObject({
      host: '127.0.0.1',
      shutdownGraceMs: 25000,
      redisTlsRejectUnauthorized: false,
      logLevel: 'warn',
    });
  });

  test.each([
    ['true', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
  ])('when REDIS_TLS_REJECT_UNAUTHORIZED is "%s", then it is %s', (value, expected) => {
    expect(loadSettings(baseSchema, { REDIS_TLS_REJECT_UNAUTHORIZED: value }).redisTlsRejectUnauthorized).toBe(expected);
  });

  test('when PORT is 0 or 65535, then it is taken (the bounds are inclusive)', () => {
    expect([loadSettings(baseSchema, { PORT: '0' }).port, loadSettings(baseSchema, { PORT: '65535' }).port]).toEqual([0, 65535]);
  });

  test('when a sensitive value is wrong, then its value is not in the message', () => {
    const schema = { secret: { doc: 'a secret', format: 'non-empty', default: 'x', env: 'SECRET', sensitive: true } };
    let message = '';
    try {
      loadSettings(schema, { SECRET: '   ' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('SECRET: expected a non-empty string');
  });
});

describe('tokenCheckSchema', () => {
  const schema = { ...baseSchema, ...tokenCheckSchema };

  test('when nothing is set, then the local router and the chat claims', () => {
    expect(loadSettings(schema, {})).toMatchObject({
      jwksUrl: 'http://127.0.0.1:8080/.well-known/jwks.json',
      tokenIssuer: 'urn:chat:tokens',
      tokenAudience: 'urn:chat:api',
    });
  });

  test.each([
    [{ JWKS_URL: 'ftp://keys.example.com/jwks.json' }, /^JWKS_URL: expected an http:\/\/ or https:\/\/ URL/],
    [{ JWKS_URL: 'not a url' }, /^JWKS_URL: expected an http:\/\/ or https:\/\/ URL/],
    [{ TOKEN_ISSUER: ' ' }, /^TOKEN_ISSUER: expected a non-empty string/],
  ])('when %j, then one line naming the variable', (env, expected) => {
    expect(bootError(env, schema)).toMatch(expected);
  });
});
