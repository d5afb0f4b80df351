import { readAppIdentity } from '../config/application';
import { ConfigError } from '../config/errors';
import { isPlainObject, readVcapServices, type Env, type ServiceBinding, type VcapServices } from '../config/vcap';
import {
  parseBoolean,
  parseEndpoint,
  parseExporter,
  parseInstrumentations,
  parseKeyValues,
  parseMilliseconds,
  parseProtocol,
  parseSampler,
  type InstrumentationName,
  type OtlpProtocol,
  type SamplerSettings,
} from './otel-env';
import { platformResource } from './resource';

/** What the OpenTelemetry SDK is started with; undefined from readTelemetrySettings means "load nothing". */
export interface TelemetrySettings {
  /** The OTLP/HTTP base endpoint; traces go to <endpoint>/v1/traces, metrics to <endpoint>/v1/metrics. */
  endpoint: URL;
  /** Where the endpoint came from, for the start line: the variable or the binding's name. */
  source: string;
  protocol: OtlpProtocol;
  /** Sent with every export (e.g. an API key); never logged. */
  headers: Record<string, string>;
  sampler: SamplerSettings;
  traces: boolean;
  metrics: boolean;
  /** OTEL_METRIC_EXPORT_INTERVAL: how often metrics are sent (default 60 s). */
  metricIntervalMs: number;
  /** OTEL_EXPORTER_OTLP_TIMEOUT: how long one export may take (default 10 s). */
  timeoutMs: number;
  /** The resource every span and metric carries: service.name, service.version, the platform's attributes. */
  resource: Record<string, string>;
  /** Which instrumentations load (OTEL_NODE_ENABLED_INSTRUMENTATIONS / _DISABLED_). */
  instrumentations: InstrumentationName[];
}

/** The user-provided service that carries the endpoint on Cloud Foundry: named `otel`, or tagged `otlp`. */
export const OTEL_BINDING = 'otel';
export const OTLP_TAG = 'otlp';

/**
 * Reads the telemetry settings from the standard OTEL_* variables and, on Cloud Foundry, the
 * `otel` binding (credentials `endpoint` and `headers`). Every value is checked, configured or
 * not, so a typo stops the boot rather than silently turning telemetry off. Returns undefined
 * when there is nowhere to send anything (no endpoint, OTEL_SDK_DISABLED=true, or both
 * exporters `none`): then nothing is loaded.
 */
export function readTelemetrySettings(env: Env, defaults: { app: string; version: string }): TelemetrySettings | undefined {
  const disabled = parseBoolean(env.OTEL_SDK_DISABLED, 'OTEL_SDK_DISABLED', false);
  const protocol = parseProtocol(env.OTEL_EXPORTER_OTLP_PROTOCOL);
  const sampler = parseSampler(env.OTEL_TRACES_SAMPLER, env.OTEL_TRACES_SAMPLER_ARG);
  const traces = parseExporter(env.OTEL_TRACES_EXPORTER, 'OTEL_TRACES_EXPORTER');
  const metrics = parseExporter(env.OTEL_METRICS_EXPORTER, 'OTEL_METRICS_EXPORTER');
  const metricIntervalMs = parseMilliseconds(env.OTEL_METRIC_EXPORT_INTERVAL, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000);
  const timeoutMs = parseMilliseconds(env.OTEL_EXPORTER_OTLP_TIMEOUT, 'OTEL_EXPORTER_OTLP_TIMEOUT', 10_000);
  const envHeaders = parseKeyValues(env.OTEL_EXPORTER_OTLP_HEADERS ?? '', 'OTEL_EXPORTER_OTLP_HEADERS', 'headers');
  const attributes = parseKeyValues(env.OTEL_RESOURCE_ATTRIBUTES ?? '', 'OTEL_RESOURCE_ATTRIBUTES', 'attributes');
  const instrumentations = parseInstrumentations(env.OTEL_NODE_ENABLED_INSTRUMENTATIONS, env.OTEL_NODE_DISABLED_INSTRUMENTATIONS);
  const serviceName = env.OTEL_SERVICE_NAME?.trim();
  if (env.OTEL_SERVICE_NAME !== undefined && serviceName === '') {
    throw new ConfigError('OTEL_SERVICE_NAME: expected a non-empty name (leave it unset for the app name)', 'OTEL_SERVICE_NAME');
  }
  const fromBinding = bindingEndpoint(readVcapServices(env));
  const explicit = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const endpoint =
    explicit !== undefined && explicit !== ''
      ? {
          url: parseEndpoint(explicit, 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'),
          source: 'OTEL_EXPORTER_OTLP_ENDPOINT',
          headers: {},
        }
      : fromBinding;
  // Built even when nothing is configured: a malformed VCAP_APPLICATION stops the boot either way.
  const identity = readAppIdentity(env, defaults);
  if (disabled || endpoint === undefined || (!traces && !metrics)) return undefined;
  return {
    endpoint: endpoint.url,
    source: endpoint.source,
    protocol,
    // The variable beats the binding, header by header. The binding's own headers go only to
    // the binding's endpoint: they are its credentials, never sent to another one.
    headers: { ...endpoint.headers, ...envHeaders },
    sampler,
    traces,
    metrics,
    metricIntervalMs,
    timeoutMs,
    instrumentations,
    resource: {
      ...platformResource(env, identity),
      ...attributes,
      ...(serviceName ? { 'service.name': serviceName } : {}),
    },
  };
}

/** The endpoint and headers of the `otel` binding (or one tagged `otlp`), when there is one. */
function bindingEndpoint(services: VcapServices): { url: URL; source: string; headers: Record<string, string> } | undefined {
  const all = Object.values(services).flat();
  const binding: ServiceBinding | undefined =
    all.find((candidate) => candidate.name === OTEL_BINDING) ?? all.find((candidate) => candidate.tags.includes(OTLP_TAG));
  if (!binding) return undefined;
  const where = `VCAP_SERVICES: binding "${binding.name}" credentials.endpoint`;
  const { endpoint, headers } = binding.credentials;
  if (typeof endpoint !== 'string' || endpoint.trim() === '') {
    throw new ConfigError(`${where}: missing (the OTLP/HTTP endpoint URL, e.g. https://otlp.example.com:4318)`, 'VCAP_SERVICES');
  }
  return {
    url: parseEndpoint(endpoint, where, 'VCAP_SERVICES'),
    source: `binding "${binding.name}"`,
    headers: bindingHeaders(headers, binding.name),
  };
}

/** credentials.headers: an object of strings, or the same `k=v,...` text as OTEL_EXPORTER_OTLP_HEADERS. */
function bindingHeaders(headers: unknown, name: string): Record<string, string> {
  const where = `VCAP_SERVICES: binding "${name}" credentials.headers`;
  if (headers === undefined || headers === null) return {};
  if (typeof headers === 'string') return parseKeyValues(headers, where, 'headers', 'VCAP_SERVICES');
  if (isPlainObject(headers) && Object.values(headers).every((value) => typeof value === 'string'))
    return headers as Record<string, string>;
  throw new ConfigError(`${where}: expected an object of strings or "key=value,..." text`, 'VCAP_SERVICES');
}
