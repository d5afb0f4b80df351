import { ConfigError } from '../../src/config/errors';
import { describePostgres, resolvePostgres } from '../../src/config/postgres-url';
import { readVcapServices, type Env } from '../../src/config/vcap';

const SECRET = 's3cr3t-Pa55word';
const vcap = (bindings: Record<string, unknown[]>): Env => ({ VCAP_SERVICES: JSON.stringify(bindings) });
const resolve = (env: Env, binding = 'notes-db') => resolvePostgres(env, readVcapServices(env), binding);
/** The ConfigError a call throws (it must throw one). */
function configError(call: () => unknown): ConfigError {
  try {
    call();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('resolvePostgres', () => {
  test('when the binding is named, then its separate credential fields, whatever its label and position', () => {
    const env = vcap({
      'a9s-postgresql11': [
        { name: 'other-db', label: 'a9s-postgresql11', tags: [], credentials: { uri: 'postgresql://u:p@wrong:5432/x' } },
      ],
      'user-provided': [
        {
          name: 'notes-db',
          label: 'user-provided',
          tags: [],
          credentials: { hostname: 'db.internal', port: '6432', name: 'notes', username: 'notes_user', password: SECRET },
        },
      ],
    });
    expect(resolve(env)).toEqual({
      connection: { host: 'db.internal', port: 6432, database: 'notes', user: 'notes_user', password: SECRET, ssl: false },
      source: 'VCAP_SERVICES binding "notes-db"',
      variable: 'NOTES_DB_URL',
    });
  });

  test.each(['postgresql', 'postgres'])('when no binding has the name, then the one tagged %s, by its uri', (tag) => {
    const env = vcap({
      elephantsql: [{ name: 'cache', label: 'elephantsql', tags: ['redis'], credentials: { uri: 'redis://h:1' } }],
      whatever: [{ name: 'pg-instance', label: 'whatever', tags: [tag], credentials: { uri: `postgres://u:${SECRET}@h:5433/d` } }],
    });
    expect(resolve(env).connection).toEqual({ host: 'h', port: 5433, database: 'd', user: 'u', password: SECRET, ssl: false });
    expect(resolve(env).source).toBe('VCAP_SERVICES binding "pg-instance"');
  });

  test('when the broker gives a CA certificate, then TLS checks the server against it', () => {
    const env = vcap({
      csb: [{ name: 'notes-db', label: 'csb', tags: [], credentials: { uri: 'postgresql://u:p@h/d', sslrootcert: 'PEM-CA' } }],
    });
    expect(resolve(env).connection.ssl).toEqual({ rejectUnauthorized: true, ca: 'PEM-CA' });
  });

  test('when the explicit variable is set, then it wins over the binding and DATABASE_URL', () => {
    const env = {
      ...vcap({ pg: [{ name: 'notes-db', label: 'pg', tags: [], credentials: { uri: 'postgresql://u:p@binding/d' } }] }),
      NOTES_DB_URL: 'postgresql://me@explicit:5432/mine?sslmode=verify-full',
      DATABASE_URL: 'postgres://u:p@heroku:5432/d',
    };
    expect(resolve(env)).toMatchObject({
      connection: { host: 'explicit', database: 'mine', user: 'me', ssl: { rejectUnauthorized: true } },
      source: 'NOTES_DB_URL',
    });
  });

  test("when only Heroku's DATABASE_URL is set, then TLS on without checking the certificate, as Heroku documents", () => {
    const env = { DATABASE_URL: `postgres://u:${SECRET}@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d1abc` };
    expect(resolve(env)).toEqual({
      connection: {
        host: 'ec2-1-2-3-4.compute-1.amazonaws.com',
        port: 5432,
        database: 'd1abc',
        user: 'u',
        password: SECRET,
        ssl: { rejectUnauthorized: false },
      },
      source: 'DATABASE_URL',
      variable: 'NOTES_DB_URL',
    });
  });

  test('when POSTGRES_TLS_REJECT_UNAUTHORIZED=true, then even Heroku’s certificate is checked; sslmode=disable turns TLS off', () => {
    expect(resolve({ DATABASE_URL: 'postgres://u:p@h/d', POSTGRES_TLS_REJECT_UNAUTHORIZED: 'true' }).connection.ssl).toEqual({
      rejectUnauthorized: true,
    });
    expect(resolve({ DATABASE_URL: 'postgres://u:p@h/d?sslmode=disable' }).connection.ssl).toBe(false);
  });

  test('when the URL names a socket folder, then host is that folder', () => {
    expect(resolve({ NOTES_DB_URL: 'postgresql://postgres@/notes?host=/tmp/pg-x' }).connection).toMatchObject({
      host: '/tmp/pg-x',
      database: 'notes',
    });
  });

  test.each<[string, Env, string, string]>([
    [
      'nothing names a database',
      {},
      'NOTES_DB_URL',
      'NOTES_DB_URL: expected a postgresql:// URL, a binding named "notes-db" in VCAP_SERVICES, or DATABASE_URL',
    ],
    [
      'the explicit variable is not a postgres URL',
      { NOTES_DB_URL: `mysql://u:${SECRET}@h/d` },
      'NOTES_DB_URL',
      'NOTES_DB_URL: expected a postgresql:// URL, got a mysql:// URL',
    ],
    [
      'DATABASE_URL is not a URL',
      { DATABASE_URL: `u:${SECRET}@h` },
      'DATABASE_URL',
      'DATABASE_URL: expected a postgresql:// URL, got something that is not a URL',
    ],
    [
      'DATABASE_URL has no database',
      { DATABASE_URL: `postgres://u:${SECRET}@h:5432` },
      'DATABASE_URL',
      'DATABASE_URL: expected a postgresql:// URL with a host and a database name',
    ],
    [
      'bindings exist but none is PostgreSQL',
      vcap({ redis: [{ name: 'event-bus', label: 'redis', tags: ['redis'], credentials: { password: SECRET } }] }),
      'NOTES_DB_URL',
      'VCAP_SERVICES: no binding named "notes-db" or tagged postgresql or postgres (bound: event-bus); bind it or set NOTES_DB_URL',
    ],
    [
      'the binding lacks the username',
      vcap({ pg: [{ name: 'notes-db', label: 'pg', tags: [], credentials: { hostname: 'h', name: 'd', password: SECRET } }] }),
      'VCAP_SERVICES',
      'binding "notes-db": expected credentials.name (the database) and credentials.username',
    ],
    [
      'the binding has no address',
      vcap({ pg: [{ name: 'notes-db', label: 'pg', tags: [], credentials: { password: SECRET } }] }),
      'VCAP_SERVICES',
      'binding "notes-db": expected credentials with uri, url, hostname or host',
    ],
    [
      'the TLS switch is neither true nor false',
      { DATABASE_URL: 'postgres://u:p@h/d', POSTGRES_TLS_REJECT_UNAUTHORIZED: 'no' },
      'POSTGRES_TLS_REJECT_UNAUTHORIZED',
      'POSTGRES_TLS_REJECT_UNAUTHORIZED: expected true or false',
    ],
  ])('when %s, then one line naming the variable, without the password', (_case, env, variable, message) => {
    const error = configError(() => resolve(env));
    expect({ variable: error.variable, message: error.message }).toEqual({ variable, message });
    expect(error.message).not.toContain(SECRET);
  });

  test('when described for a log line, then no password', () => {
    const location = resolve({ DATABASE_URL: `postgres://u:${SECRET}@h:5432/d` });
    expect(describePostgres(location)).toBe('postgresql://u@h:5432/d (tls) from DATABASE_URL');
    expect(JSON.stringify(describePostgres(location))).not.toContain(SECRET);
  });
});
