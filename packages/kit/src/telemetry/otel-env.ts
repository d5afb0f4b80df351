import { ConfigError } from '../config/errors';

/**
 * Parsers for the standard OTEL_* variables (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
 * and the OTLP exporter's). Each refuses a malformed value with a ConfigError whose one line
 * names the variable; none echoes a value that may hold a credential (headers, endpoints).
 * No OpenTelemetry package is loaded here: they are read before deciding to load one.
 */

export type OtlpProtocol = 'http/protobuf' | 'http/json';
export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];

export type SamplerName =
  'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';
export const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

export interface SamplerSettings {
  name: SamplerName;
  /** For the two ratio samplers: the share of new traces kept, 0 to 1. */
  ratio: number;
}

/**
 * `key=value,key=value` with percent-encoded values, the format of both
 * OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES (W3C Baggage's, without properties).
 * Blank entries are skipped; an entry without `=`, with an empty key or a broken escape is refused.
 */
export function parseKeyValues(value: string, where: string, what: string, variable = where): Record<string, string> {
  const pairs: Record<string, string> = {};
  const entries = value.split(',');
  for (const [index, entry] of entries.entries()) {
    if (entry.trim() === '') continue;
    const equals = entry.indexOf('=');
    const key = equals === -1 ? '' : entry.slice(0, equals).trim();
    if (equals === -1 || key === '') {
      throw new ConfigError(`${where}: expected comma-separated ${what} as key=value: entry ${index + 1} has no key=`, variable);
    }
    try {
      pairs[decodeURIComponent(key)] = decodeURIComponent(entry.slice(equals + 1).trim());
    } catch {
      throw new ConfigError(`${where}: the value of "${key}" is not valid percent-encoding`, variable);
    }
  }
  return pairs;
}

/** An OTLP/HTTP endpoint: an http(s) URL without credentials in it (they go in the headers). */
export function parseEndpoint(value: string, where: string, variable: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigError(`${where}: expected an http:// or https:// URL (e.g. http://127.0.0.1:4318)`, variable);
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(
      `${where}: a URL must not carry credentials (routers log URLs): put them in OTEL_EXPORTER_OTLP_HEADERS`,
      variable,
    );
  }
  return url;
}

/** The URL a signal is sent to: the base endpoint's path plus /v1/traces or /v1/metrics, as the OTLP specification says. */
export function signalUrl(endpoint: URL, signal: 'traces' | 'metrics'): string {
  const url = new URL(endpoint.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/${signal}`;
  return url.href;
}

export function parseProtocol(value: string | undefined): OtlpProtocol {
  if (value === undefined || value.trim() === '') return 'http/protobuf';
  const protocol = value.trim();
  if (OTLP_PROTOCOLS.includes(protocol as OtlpProtocol)) return protocol as OtlpProtocol;
  const grpc = protocol === 'grpc' ? ' (this kit sends OTLP over HTTP only)' : '';
  throw new ConfigError(
    `OTEL_EXPORTER_OTLP_PROTOCOL: expected ${OTLP_PROTOCOLS.join(' or ')}${grpc}: value was ${JSON.stringify(protocol)}`,
    'OTEL_EXPORTER_OTLP_PROTOCOL',
  );
}

export function parseSampler(name: string | undefined, arg: string | undefined): SamplerSettings {
  const sampler = (name ?? '').trim() === '' ? 'parentbased_always_on' : (name as string).trim();
  if (!SAMPLERS.includes(sampler as SamplerName)) {
    throw new ConfigError(
      `OTEL_TRACES_SAMPLER: expected one of ${SAMPLERS.join(', ')}: value was ${JSON.stringify(sampler)}`,
      'OTEL_TRACES_SAMPLER',
    );
  }
  let ratio = 1;
  if (arg !== undefined && arg.trim() !== '') {
    const text = arg.trim();
    ratio = /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN;
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new ConfigError(
        `OTEL_TRACES_SAMPLER_ARG: expected a ratio from 0 to 1 (e.g. 0.1): value was ${JSON.stringify(text)}`,
        'OTEL_TRACES_SAMPLER_ARG',
      );
    }
  }
  return { name: sampler as SamplerName, ratio };
}

export function parseBoolean(value: string | undefined, variable: string, fallback: boolean): boolean {
  if (value === undefined || value.trim() === '') return fallback;
  if (/^true$/i.test(value.trim())) return true;
  if (/^false$/i.test(value.trim())) return false;
  throw new ConfigError(`${variable}: expected true or false: value was ${JSON.stringify(value)}`, variable);
}

/** OTEL_TRACES_EXPORTER and OTEL_METRICS_EXPORTER: `otlp` (the default) or `none`. */
export function parseExporter(value: string | undefined, variable: string): boolean {
  if (value === undefined || value.trim() === '' || value.trim() === 'otlp') return true;
  if (value.trim() === 'none') return false;
  throw new ConfigError(
    `${variable}: expected otlp or none (this kit exports over OTLP only): value was ${JSON.stringify(value)}`,
    variable,
  );
}

export function parseMilliseconds(value: string | undefined, variable: string, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new ConfigError(`${variable}: expected a positive whole number of milliseconds: value was ${JSON.stringify(value)}`, variable);
  }
  return Number(value);
}

/** The instrumentations the kit can load; koa is off unless named (see parseInstrumentations). */
export const INSTRUMENTATIONS = ['http', 'koa', 'ioredis', 'undici', 'pino'] as const;
export type InstrumentationName = (typeof INSTRUMENTATIONS)[number];
const DEFAULT_INSTRUMENTATIONS: InstrumentationName[] = ['http', 'ioredis', 'undici', 'pino'];

/**
 * OTEL_NODE_ENABLED_INSTRUMENTATIONS and OTEL_NODE_DISABLED_INSTRUMENTATIONS (the names
 * @opentelemetry/auto-instrumentations-node reads): a comma-separated list of http, koa,
 * ioredis, undici, pino. Enabled: only those; disabled: taken out. By default all but koa,
 * whose span per route middleware repeats the kit's server span (bench/kit, kit README).
 */
export function parseInstrumentations(enabled: string | undefined, disabled: string | undefined): InstrumentationName[] {
  const list = (value: string | undefined, variable: string): InstrumentationName[] | undefined => {
    if (value === undefined || value.trim() === '') return undefined;
    const names = value
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
    const unknown = names.find((name) => !INSTRUMENTATIONS.includes(name as InstrumentationName));
    if (unknown !== undefined) {
      throw new ConfigError(`${variable}: expected names among ${INSTRUMENTATIONS.join(', ')}: "${unknown}" is not one`, variable);
    }
    return names as InstrumentationName[];
  };
  const on = list(enabled, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS') ?? DEFAULT_INSTRUMENTATIONS;
  const off = list(disabled, 'OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? [];
  return INSTRUMENTATIONS.filter((name) => on.includes(name) && !off.includes(name));
}
