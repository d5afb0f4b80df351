import { diag, DiagLogLevel, trace } from '@opentelemetry/api';
import { ExportResultCode, setGlobalErrorHandler, type ExportResult } from '@opentelemetry/core';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KoaInstrumentation, KoaLayerType } from '@opentelemetry/instrumentation-koa';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import type { Registry } from 'prom-client';
import { createExportWarnings, type ExportWarnings } from './export-warnings';
import { installTelemetry, type Telemetry } from './hooks';
import { signalUrl, type InstrumentationName, type SamplerSettings } from './otel-env';
import { prometheusProducer } from './prometheus-producer';
import type { TelemetrySettings } from './settings';
import { createTracing } from './tracing';

/** How long the last export may hold a drain (SIGTERM): the platform kills 10 s after it. */
const SHUTDOWN_BOUND_MS = 2000;
const SCOPE = { name: '@bundle/kit', version: '1' };

/**
 * Starts the OpenTelemetry SDK: this module is required (by start.ts) only when an endpoint
 * is configured, and before the app's first import of pino, koa, ioredis or node:http, so the
 * instrumentations patch them as they load. Traces: the kit's own server span (tracing.ts),
 * koa's router layers, ioredis commands, outgoing fetch (undici) and node:http calls (the
 * JWKS), trace ids on every pino line written inside a span. Metrics: the registries of
 * /metrics, as they are (prometheus-producer.ts).
 */
export function startSdk(settings: TelemetrySettings): Telemetry {
  const warnings = createExportWarnings(settings.endpoint);
  // The SDK's own complaints (an export that failed, a dropped batch) go the same rate-limited way.
  diag.setLogger(diagLogger(warnings), DiagLogLevel.WARN);
  setGlobalErrorHandler((error) => warnings.failed('sdk', error));
  const resource = defaultResource().merge(resourceFromAttributes({ ...settings.resource, 'process.pid': process.pid }));

  let tracerProvider: NodeTracerProvider | undefined;
  if (settings.traces) {
    const exporter = watched(traceExporter(settings), 'traces', warnings);
    tracerProvider = new NodeTracerProvider({
      resource,
      sampler: sampler(settings.sampler),
      spanProcessors: [new BatchSpanProcessor(exporter)],
    });
    tracerProvider.register(); // the global provider, AsyncLocalStorage context, W3C traceparent/tracestate
    registerInstrumentations({ tracerProvider, instrumentations: instrumentations(settings.instrumentations) });
  }

  const registries: Registry[] = [];
  let meterProvider: MeterProvider | undefined;
  if (settings.metrics) {
    const reader = new PeriodicExportingMetricReader({
      exporter: watchedMetrics(metricExporter(settings), warnings),
      exportIntervalMillis: settings.metricIntervalMs,
      exportTimeoutMillis: Math.min(settings.timeoutMs, settings.metricIntervalMs),
      metricProducers: [prometheusProducer(() => registries, SCOPE)],
    });
    meterProvider = new MeterProvider({ resource, readers: [reader] });
  }

  const telemetry: Telemetry = {
    tracing: tracerProvider
      ? createTracing(trace.getTracer(SCOPE.name, SCOPE.version), settings.instrumentations.includes('undici'))
      : undefined,
    addMetrics: (registry) => void registries.push(registry),
    useLogger: (logger) => warnings.useLogger(logger),
    async shutdown() {
      const done = Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown()]);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_BOUND_MS)))]);
      clearTimeout(timer);
    },
  };
  installTelemetry(telemetry);
  return telemetry;
}

/** The instrumentations settings name (all but koa by default), each constructed only when used. */
function instrumentations(names: InstrumentationName[]): Instrumentation[] {
  const make: Record<InstrumentationName, () => Instrumentation> = {
    // Outgoing node:http only (jose's JWKS fetch): the kit's pipeline makes the server span.
    http: () => new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
    // A span per route middleware (off by default: each repeats the server span's route).
    koa: () => new KoaInstrumentation({ ignoreLayersType: [KoaLayerType.MIDDLEWARE] }),
    // Commands inside a span only: a blocking XREAD loop or a health check's PING makes no trace.
    ioredis: () => new IORedisInstrumentation({ requireParentSpan: true }),
    // fetch (the service client): a client span, and the traceparent sent from it.
    undici: () => new UndiciInstrumentation(),
    // trace_id, span_id and trace_flags on every line written inside a span; lines stay on stdout.
    pino: () => new PinoInstrumentation({ disableLogSending: true }),
  };
  return names.map((name) => make[name]());
}

function sampler(settings: SamplerSettings): Sampler {
  const root = (name: string): Sampler =>
    name.endsWith('always_on')
      ? new AlwaysOnSampler()
      : name.endsWith('always_off')
        ? new AlwaysOffSampler()
        : new TraceIdRatioBasedSampler(settings.ratio);
  return settings.name.startsWith('parentbased_') ? new ParentBasedSampler({ root: root(settings.name) }) : root(settings.name);
}

/** Each exporter package is loaded only for the protocol in use. */
function traceExporter(settings: TelemetrySettings): SpanExporter {
  const options = { url: signalUrl(settings.endpoint, 'traces'), headers: settings.headers, timeoutMillis: settings.timeoutMs };
  if (settings.protocol === 'http/json') {
    const { OTLPTraceExporter } =
      require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter(options);
  }
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter(options);
}

function metricExporter(settings: TelemetrySettings): PushMetricExporter {
  const options = {
    url: signalUrl(settings.endpoint, 'metrics'),
    headers: settings.headers,
    timeoutMillis: settings.timeoutMs,
    // What Prometheus keeps: totals since the process started.
    temporalityPreference: AggregationTemporality.CUMULATIVE,
  };
  if (settings.protocol === 'http/json') {
    const { OTLPMetricExporter } =
      require('@opentelemetry/exporter-metrics-otlp-http') as typeof import('@opentelemetry/exporter-metrics-otlp-http');
    return new OTLPMetricExporter(options);
  }
  const { OTLPMetricExporter } =
    require('@opentelemetry/exporter-metrics-otlp-proto') as typeof import('@opentelemetry/exporter-metrics-otlp-proto');
  return new OTLPMetricExporter(options);
}

/** The exporter, saying (rate-limited) when an export fails; what it drops it drops silently otherwise. */
function watched(exporter: SpanExporter, signal: string, warnings: ExportWarnings): SpanExporter {
  return {
    export: (items, done) => exporter.export(items, reporting(signal, warnings, done)),
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

function watchedMetrics(exporter: PushMetricExporter, warnings: ExportWarnings): PushMetricExporter {
  return {
    export: (metrics, done) => exporter.export(metrics, reporting('metrics', warnings, done)),
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
    selectAggregationTemporality: exporter.selectAggregationTemporality?.bind(exporter),
    selectAggregation: exporter.selectAggregation?.bind(exporter),
  };
}

/** An export's callback that says (rate-limited) when it failed before passing the result on. */
function reporting(signal: string, warnings: ExportWarnings, done: (result: ExportResult) => void): (result: ExportResult) => void {
  return (result) => {
    const failed = result.code !== ExportResultCode.SUCCESS;
    if (failed) warnings.failed(signal, result.error ?? 'export failed');
    done(result);
  };
}

function diagLogger(warnings: ExportWarnings) {
  const warn = (message: string, ...args: unknown[]): void => warnings.failed('sdk', [message, ...args.map(String)].join(' '));
  const ignore = (): void => undefined;
  return { error: warn, warn, info: ignore, debug: ignore, verbose: ignore };
}
