import { parse } from 'pg-connection-string';
import { ConfigError } from './errors';
import { boundNames, findBinding, type Env, type ServiceBinding, type VcapServices } from './vcap';

/** The tags PostgreSQL brokers put on their bindings (a binding found by tag when none has the name). */
export const POSTGRES_TAGS = ['postgresql', 'postgres'] as const;

/** TLS for a connection: off, or on with or without checking the server's certificate. */
export type PostgresTls = false | { rejectUnauthorized: boolean; ca?: string; cert?: string; key?: string };

/** What node-postgres needs to connect; the password is here but never in `describe`. */
export interface PostgresConnection {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  ssl: PostgresTls;
}

/** Where a PostgreSQL lives and where we learnt it (a variable or a binding, for log lines and errors). */
export interface PostgresLocation {
  connection: PostgresConnection;
  source: string;
  /** The variable an error about it names: the explicit one, which would override the rest. */
  variable: string;
}

/**
 * TLS_REJECT_UNAUTHORIZED decides whether a TLS connection checks the server's certificate.
 * Unset, it is on, except for Heroku's DATABASE_URL: Heroku Postgres serves certificates a
 * client cannot verify, and Heroku's own guide for node-postgres says rejectUnauthorized: false.
 */
const REJECT_VARIABLE = 'POSTGRES_TLS_REJECT_UNAUTHORIZED';

/** The explicit variable for a binding name: "notes-db" -> NOTES_DB_URL. */
export const postgresVariable = (bindingName: string): string => `${bindingName.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_URL`;

/** A one-line description without the password: postgresql://user@host:port/database. */
export function describePostgres(location: PostgresLocation): string {
  const { user, host, port, database, ssl } = location.connection;
  return `postgresql://${user}@${host.startsWith('/') ? `[${host}]` : host}:${port}/${database}${ssl ? ' (tls)' : ''} from ${location.source}`;
}

/**
 * Finds the PostgreSQL for a binding name. Precedence: the explicit `<NAME>_URL`, then the
 * binding with that name in VCAP_SERVICES, else the one tagged postgresql or postgres (never
 * by label or position), then Heroku's DATABASE_URL. No default: a missing database stops
 * the boot with one line naming the variable.
 */
export function resolvePostgres(env: Env, services: VcapServices, bindingName: string): PostgresLocation {
  const variable = postgresVariable(bindingName);
  const reject = readReject(env);
  const explicit = env[variable];
  if (explicit) return { connection: fromUrl(explicit, variable, reject ?? true), source: variable, variable };
  const binding = findBinding(services, bindingName) ?? findTagged(services);
  if (binding) {
    const where = `binding "${binding.name}"`;
    return { connection: fromCredentials(binding, reject ?? true), source: `VCAP_SERVICES ${where}`, variable };
  }
  if (Object.keys(services).length > 0) {
    throw new ConfigError(
      `VCAP_SERVICES: no binding named "${bindingName}" or tagged ${POSTGRES_TAGS.join(' or ')} (bound: ${boundNames(services).join(', ') || 'none'}); bind it or set ${variable}`,
      variable,
    );
  }
  const heroku = env.DATABASE_URL;
  if (heroku) return { connection: fromUrl(heroku, 'DATABASE_URL', reject ?? false, true), source: 'DATABASE_URL', variable };
  throw new ConfigError(
    `${variable}: expected a postgresql:// URL, a binding named "${bindingName}" in VCAP_SERVICES, or DATABASE_URL`,
    variable,
  );
}

function findTagged(services: VcapServices): ServiceBinding | undefined {
  for (const tag of POSTGRES_TAGS) {
    const binding = findBinding(services, tag);
    if (binding) return binding;
  }
  return undefined;
}

function readReject(env: Env): boolean | undefined {
  const value = env[REJECT_VARIABLE];
  if (value === undefined || value === '') return undefined;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new ConfigError(`${REJECT_VARIABLE}: expected true or false`, REJECT_VARIABLE);
}

/**
 * A postgres:// or postgresql:// URL. `sslmode=disable` turns TLS off, any other sslmode on;
 * without one, TLS is on for Heroku (its databases require it) and off elsewhere. A socket
 * directory may be given as `?host=/path`. The URL itself never reaches a message.
 */
function fromUrl(value: string, name: string, rejectUnauthorized: boolean, tlsByDefault = false): PostgresConnection {
  // Not WHATWG URL: it refuses postgresql://user@/db?host=/socket/folder, which libpq and pg take.
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) throw new ConfigError(`${name}: expected a postgresql:// URL, got something that is not a URL`, name);
  if (scheme !== 'postgres' && scheme !== 'postgresql') {
    throw new ConfigError(`${name}: expected a postgresql:// URL, got a ${scheme}:// URL`, name);
  }
  const parsed = parse(value);
  const database = parsed.database ?? '';
  if (!parsed.host || database === '') throw new ConfigError(`${name}: expected a postgresql:// URL with a host and a database name`, name);
  const port = Number(parsed.port || 5432);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError(`${name}: expected a port number (1-65535)`, name);
  const sslmode = /[?&]sslmode=([^&#]*)/.exec(value)?.[1] ?? null;
  const tls = sslmode === null ? tlsByDefault : sslmode !== 'disable';
  return {
    host: parsed.host,
    port,
    database,
    user: parsed.user ?? 'postgres',
    ...(parsed.password ? { password: parsed.password } : {}),
    ssl: tls ? { rejectUnauthorized } : false,
  };
}

/**
 * A binding's credentials. Brokers differ: `uri` or `url`, or `hostname`/`host`, `port`,
 * `name`/`database`/`dbname`, `username`/`user`, `password`, and TLS material
 * (`sslrootcert`, `sslcert`, `sslkey`: PEM text) when the broker requires TLS.
 */
function fromCredentials(binding: ServiceBinding, rejectUnauthorized: boolean): PostgresConnection {
  const where = `binding "${binding.name}"`;
  const credentials = binding.credentials;
  const text = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const value = credentials[key];
      if (typeof value === 'string' && value !== '') return value;
    }
    return undefined;
  };
  const ca = text('sslrootcert', 'ca_certificate', 'ca');
  const cert = text('sslcert');
  const key = text('sslkey');
  const material = { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
  const uri = text('uri', 'url', 'jdbcUrl');
  let connection: PostgresConnection;
  if (uri !== undefined) {
    connection = fromUrl(uri.replace(/^jdbc:/, ''), `${where} credentials.uri`, rejectUnauthorized);
  } else {
    const host = text('hostname', 'host');
    if (host === undefined) {
      throw new ConfigError(`${where}: expected credentials with uri, url, hostname or host`, 'VCAP_SERVICES');
    }
    const port = Number(credentials.port ?? 5432);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ConfigError(`${where}: expected credentials.port to be a port number (1-65535)`, 'VCAP_SERVICES');
    }
    const database = text('name', 'database', 'dbname', 'db_name');
    const user = text('username', 'user');
    if (database === undefined || user === undefined) {
      throw new ConfigError(`${where}: expected credentials.name (the database) and credentials.username`, 'VCAP_SERVICES');
    }
    const password = text('password');
    connection = { host, port, database, user, ...(password ? { password } : {}), ssl: false };
  }
  if (Object.keys(material).length > 0 || credentials.ssl === true || credentials.sslmode === 'require') {
    connection.ssl = { rejectUnauthorized, ...material };
  }
  return connection;
}
