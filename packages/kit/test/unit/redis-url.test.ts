import { resolveRedis, redisUrlFromCredentials } from '../../src/config/redis-url';
import { readVcapServices } from '../../src/config/vcap';
import { thrownMessage } from '../support/errors';

describe('redisUrlFromCredentials', () => {
  test.each([
    [{ uri: 'redis://:pw@h:6379' }, 'redis://:pw@h:6379'],
    [{ url: 'rediss://:pw@h:6380' }, 'rediss://:pw@h:6380'],
    [{ host: 'h', port: 6379, password: 'pw' }, 'redis://:pw@h:6379'],
    [{ hostname: 'h', port: '6390', password: 'pw' }, 'redis://:pw@h:6390'],
    [{ host: 'h' }, 'redis://h:6379'],
    [{ host: 'h', port: 6379, password: 'p@ss:w/rd' }, 'redis://:p%40ss%3Aw%2Frd@h:6379'],
    [{ host: 'h', port: 6379, tls_port: 6380, password: 'pw' }, 'rediss://:pw@h:6380'],
    [{ host: 'h', port: '6380', tls_enabled: true }, 'rediss://h:6380'],
  ])('when credentials are %j, then %s', (credentials, url) => {
    expect(redisUrlFromCredentials(credentials, 'users-db')).toBe(url);
  });

  test('when the password needs encoding, then the URL still parses back to it', () => {
    const url = new URL(redisUrlFromCredentials({ host: 'h', port: 1, password: 'a b#c' }, 'users-db'));
    expect(decodeURIComponent(url.password)).toBe('a b#c');
  });

  test.each([
    [{ host: 'h', port: 'abc' }, 'binding "users-db": expected credentials.port to be a port number (1-65535)'],
    [{ host: 'h', port: 70000 }, 'binding "users-db": expected credentials.port to be a port number (1-65535)'],
    [{ password: 'secret-value' }, 'binding "users-db": expected credentials with uri, url, host or hostname'],
    [{ uri: 'http://h' }, 'binding "users-db" credentials.uri: expected a redis:// or rediss:// URL, got a http:// URL'],
  ])('when credentials are %j, then one line saying what was expected', (credentials, message) => {
    const thrown = thrownMessage(() => redisUrlFromCredentials(credentials, 'users-db'));
    expect(thrown).toBe(message);
    expect(thrown).not.toContain('secret-value');
  });
});

describe('resolveRedis', () => {
  const vcap = JSON.stringify({
    'p.redis': [{ name: 'users-db', tags: [], credentials: { uri: 'redis://binding:6379' } }],
    other: [{ name: 'cache', credentials: {} }],
  });
  const services = readVcapServices({ VCAP_SERVICES: vcap });

  test('when <NAME>_URL is set, then it beats the binding and REDIS_URL', () => {
    const env = { USERS_DB_URL: 'redis://explicit:1', REDIS_URL: 'redis://heroku:2' };
    expect(resolveRedis(env, services, 'users-db', 'redis://default:3')).toEqual({ url: 'redis://explicit:1', source: 'USERS_DB_URL' });
  });

  test('when only the binding names it, then the binding beats REDIS_URL and the default', () => {
    expect(resolveRedis({ REDIS_URL: 'redis://heroku:2' }, services, 'users-db', 'redis://default:3')).toEqual({
      url: 'redis://binding:6379',
      source: 'VCAP_SERVICES binding "users-db"',
    });
  });

  test('when there are no bindings, then REDIS_TLS_URL beats REDIS_URL', () => {
    expect(resolveRedis({ REDIS_TLS_URL: 'rediss://tls:1', REDIS_URL: 'redis://plain:2' }, {}, 'users-db').url).toBe('rediss://tls:1');
    expect(resolveRedis({ REDIS_URL: 'redis://plain:2' }, {}, 'users-db')).toEqual({ url: 'redis://plain:2', source: 'REDIS_URL' });
  });

  test('when nothing names a Redis, then the default', () => {
    expect(resolveRedis({}, {}, 'event-bus', 'redis://127.0.0.1:6379')).toEqual({ url: 'redis://127.0.0.1:6379', source: 'default' });
  });

  test('when nothing names a Redis and there is no default, then one line naming <NAME>_URL', () => {
    expect(thrownMessage(() => resolveRedis({}, {}, 'event-bus'))).toBe(
      'EVENT_BUS_URL: expected a redis:// or rediss:// URL, or a binding named "event-bus" in VCAP_SERVICES',
    );
  });

  test('when bindings exist but the name is not bound, then one line naming what is bound', () => {
    const message = thrownMessage(() => resolveRedis({ REDIS_URL: 'redis://h:1' }, services, 'event-bus'));
    expect(message).toBe('VCAP_SERVICES: no binding named or tagged "event-bus" (bound: users-db, cache); bind it or set EVENT_BUS_URL');
  });

  test.each([
    [{ USERS_DB_URL: 'not a url' }, 'USERS_DB_URL: expected a redis:// or rediss:// URL, got something that is not a URL'],
    [{ REDIS_URL: 'https://h' }, 'REDIS_URL: expected a redis:// or rediss:// URL, got a https:// URL'],
  ])('when %j, then one line naming the variable', (env, message) => {
    expect(thrownMessage(() => resolveRedis(env, {}, 'users-db'))).toBe(message);
  });
});
