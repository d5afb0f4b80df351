import { ConfigError } from './errors';
import { boundNames, findBinding, type Env, type VcapServices } from './vcap';

/** Where a Redis lives, as a URL (redis:// or rediss:// for TLS), and where we learnt it. */
export interface RedisLocation {
  url: string;
  source: string;
}

/**
 * Turns a binding's credentials into a Redis URL. Brokers differ: some give `uri` or
 * `url`, others `host`/`hostname`, `port` (number or string), `password`, and a TLS flag
 * or a `tls_port`.
 */
export function redisUrlFromCredentials(credentials: Record<string, unknown>, bindingName: string): string {
  const uri = credentials.uri ?? credentials.url;
  if (typeof uri === 'string' && uri !== '') {
    assertRedisUrl(uri, `binding "${bindingName}" credentials.uri`);
    return uri;
  }
  const host = credentials.host ?? credentials.hostname;
  if (typeof host !== 'string' || host === '') {
    throw new ConfigError(`binding "${bindingName}": expected credentials with uri, url, host or hostname`, 'VCAP_SERVICES');
  }
  const tls = credentials.tls_enabled === true || credentials.tls_port !== undefined;
  const port = Number((tls ? credentials.tls_port : undefined) ?? credentials.port ?? 6379);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`binding "${bindingName}": expected credentials.port to be a port number (1-65535)`, 'VCAP_SERVICES');
  }
  const password =
    typeof credentials.password === 'string' && credentials.password !== '' ? `:${encodeURIComponent(credentials.password)}@` : '';
  return `${tls ? 'rediss' : 'redis'}://${password}${host}:${port}`;
}

/**
 * Finds the Redis for a binding name. Precedence: an explicit variable
 * (`<NAME>_URL`, e.g. EVENT_BUS_URL for "event-bus"), then the binding in VCAP_SERVICES,
 * then Heroku's REDIS_TLS_URL or REDIS_URL, then the default (if any).
 */
export function resolveRedis(env: Env, services: VcapServices, bindingName: string, fallback?: string): RedisLocation {
  const variable = `${bindingName.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_URL`;
  const explicit = env[variable];
  if (explicit) {
    assertRedisUrl(explicit, variable);
    return { url: explicit, source: variable };
  }
  const binding = findBinding(services, bindingName);
  if (binding) return { url: redisUrlFromCredentials(binding.credentials, bindingName), source: `VCAP_SERVICES binding "${bindingName}"` };
  if (Object.keys(services).length > 0) {
    const names = boundNames(services);
    throw new ConfigError(
      `VCAP_SERVICES: no binding named or tagged "${bindingName}" (bound: ${names.join(', ') || 'none'}); bind it or set ${variable}`,
      variable,
    );
  }
  for (const name of ['REDIS_TLS_URL', 'REDIS_URL']) {
    const url = env[name];
    if (url) {
      assertRedisUrl(url, name);
      return { url, source: name };
    }
  }
  if (fallback !== undefined) return { url: fallback, source: 'default' };
  throw new ConfigError(
    `${variable}: expected a redis:// or rediss:// URL, or a binding named "${bindingName}" in VCAP_SERVICES`,
    variable,
  );
}

function assertRedisUrl(value: string, name: string): void {
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new ConfigError(`${name}: expected a redis:// or rediss:// URL, got something that is not a URL`, name);
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new ConfigError(`${name}: expected a redis:// or rediss:// URL, got a ${protocol.replace(':', '')}:// URL`, name);
  }
}
