import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/**
 * The seam between the kit and the OpenTelemetry SDK. This file imports no OpenTelemetry
 * package: the pipeline, the service client, the bus and the apps' spans ask it whether
 * telemetry is on (one property read), and only sdk.ts, loaded when an endpoint is
 * configured, installs an implementation. With nothing configured nothing is loaded and
 * every call below costs a branch.
 */

/** The span of one incoming request, made by the kit's pipeline (not by the http instrumentation: bench/kit). */
export interface ServerSpan {
  readonly traceId: string;
  readonly sampled: boolean;
  /** Runs fn with the span active: log lines, Redis calls and outgoing calls inside it are its children. */
  run<T>(fn: () => T): T;
  /** Names the span after its route ("GET /api/messages") and ends it with the status. */
  end(status: number, route: string | undefined): void;
}

export type SpanAttributes = Record<string, string | number | boolean>;

export interface Tracing {
  /** Whether fetch is instrumented: it then sends traceparent and tracestate from each call's own span. */
  readonly instrumentsFetch: boolean;
  serverSpan(method: string, path: string, headers: Record<string, string | string[] | undefined>, requestId: string): ServerSpan;
  /** The active span as a W3C traceparent ("00-<trace>-<span>-<flags>"), for a bus entry. */
  activeTraceparent(): string | undefined;
  /** A consumer's handling of one message: a child of the span that published it. */
  consumerSpan<T>(name: string, traceparent: string | undefined, attributes: SpanAttributes, fn: () => T): T;
  /** One pass over many messages: linked to each publisher's span, a child of the first. */
  batchSpan<T>(name: string, traceparents: string[], attributes: SpanAttributes, fn: () => T): T;
}

export interface Telemetry {
  /** Present when traces are exported. */
  readonly tracing: Tracing | undefined;
  /** Every metric of this registry is exported over OTLP too, with the names and buckets of /metrics. */
  addMetrics(registry: Registry): void;
  /** Where the exporters' warnings go once the app has its logger (stderr until then). */
  useLogger(logger: Logger): void;
  /** Sends what is waiting, within a bound; called at the end of a drain. */
  shutdown(): Promise<void>;
}

let installed: Telemetry | undefined;

/** The running telemetry, or undefined when nothing is configured. */
export function activeTelemetry(): Telemetry | undefined {
  return installed;
}

/** Called once by sdk.ts. */
export function installTelemetry(telemetry: Telemetry): void {
  installed = telemetry;
}

/** Ends telemetry (flushes what is waiting); a no-op when there is none. */
export async function shutdownTelemetry(): Promise<void> {
  await installed?.shutdown();
}
