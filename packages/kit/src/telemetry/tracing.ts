import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Context,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { ServerSpan, SpanAttributes, Tracing } from './hooks';

/**
 * The kit's spans on the OpenTelemetry API (loaded by sdk.ts only). The server span is made
 * here, by the pipeline, rather than by the http instrumentation: the kit already reads the
 * request id and the traceparent, and the instrumentation's own server span cost more than
 * the rest of the request (bench/kit). Parents come from the W3C propagator the SDK registers.
 */
export function createTracing(tracer: Tracer, instrumentsFetch: boolean): Tracing {
  return {
    instrumentsFetch,
    serverSpan(method, path, headers, requestId) {
      const parent = propagation.extract(ROOT_CONTEXT, headers);
      const span = tracer.startSpan(
        method,
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path, request_id: requestId } },
        parent,
      );
      return new KitServerSpan(span, trace.setSpan(parent, span), method);
    },
    activeTraceparent() {
      const span = trace.getSpan(context.active());
      if (!span) return undefined;
      const { traceId, spanId, traceFlags } = span.spanContext();
      return `00-${traceId}-${spanId}-${traceFlags & TraceFlags.SAMPLED ? '01' : '00'}`;
    },
    consumerSpan(name, traceparent, attributes, fn) {
      const parent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
      const span = tracer.startSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent);
      return runInSpan(span, trace.setSpan(parent, span), fn);
    },
    batchSpan(name, traceparents, attributes, fn) {
      const links: Link[] = [];
      for (const traceparent of traceparents) {
        const linked = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent }));
        if (linked) links.push({ context: linked });
      }
      const parent = traceparents[0] ? propagation.extract(ROOT_CONTEXT, { traceparent: traceparents[0] }) : ROOT_CONTEXT;
      const span = tracer.startSpan(name, { kind: SpanKind.CONSUMER, attributes: attributes as SpanAttributes, links }, parent);
      return runInSpan(span, trace.setSpan(parent, span), fn);
    },
  };
}

class KitServerSpan implements ServerSpan {
  readonly traceId: string;
  readonly sampled: boolean;
  constructor(
    private readonly span: Span,
    private readonly context: Context,
    private readonly method: string,
  ) {
    const spanContext = span.spanContext();
    this.traceId = spanContext.traceId;
    this.sampled = (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0;
  }

  run<T>(fn: () => T): T {
    return context.with(this.context, fn);
  }

  end(status: number, route: string | undefined): void {
    const span = this.span;
    if (span.isRecording()) {
      if (route !== undefined) {
        span.updateName(`${this.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', status);
      // A 4xx is the client's doing, not the server's (semantic conventions for server spans).
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }
}

/** Runs fn with the span active and ends it when fn is done, a promise's settling included. */
function runInSpan<T>(span: Span, spanContext: Context, fn: () => T): T {
  const failed = (error: unknown): never => {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    span.end();
    throw error;
  };
  let result: T;
  try {
    result = context.with(spanContext, fn);
  } catch (error) {
    return failed(error);
  }
  if (result instanceof Promise) {
    return result.then((value: unknown) => {
      span.end();
      return value;
    }, failed) as T;
  }
  span.end();
  return result;
}
