import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { activeTelemetry } from './telemetry/hooks';

/**
 * The request a piece of work belongs to: its request id and its W3C trace context
 * (https://www.w3.org/TR/trace-context/). The pipeline runs each request inside one, so
 * the service client and the bus pass both on without every caller handing them down.
 */
export interface Trace {
  requestId: string;
  /** 32 lower-case hex digits; made on first use when the request brought no traceparent. */
  traceId?: string;
  /** The trace flags of the incoming traceparent ("01": sampled). */
  flags: string;
  /** The incoming tracestate, passed on as it came. */
  tracestate?: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZEROS = /^0+$/;

/** The trace id and flags of a valid traceparent header, else undefined (version ff, all-zero ids, a version 00 with extra fields). */
export function parseTraceparent(value: string | string[] | undefined): { traceId: string; flags: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  if (version === 'ff' || (version === '00' && rest !== undefined) || ZEROS.test(traceId) || ZEROS.test(parentId)) return undefined;
  return { traceId, flags };
}

/** The trace of an incoming request: its traceparent when valid (a bad one starts a new trace, as the spec says). */
export function traceOf(requestId: string, headers: Record<string, string | string[] | undefined>): Trace {
  const parent = parseTraceparent(headers.traceparent);
  if (!parent) return { requestId, flags: '00' };
  const state = headers.tracestate;
  return {
    requestId,
    traceId: parent.traceId,
    flags: parent.flags,
    ...(typeof state === 'string' && state !== '' ? { tracestate: state } : {}),
  };
}

/** The trace id, made now if the request started none. */
export function traceIdOf(trace: Trace): string {
  trace.traceId ??= randomBytes(16).toString('hex');
  return trace.traceId;
}

/**
 * A traceparent for one outgoing call or event: the same trace id, a new parent id (this hop's
 * span). With OpenTelemetry on, the active span's own: a consumer's span is then its child.
 */
export function outgoingTraceparent(trace: Trace): string {
  const active = activeTelemetry()?.tracing?.activeTraceparent();
  return active ?? `00-${traceIdOf(trace)}-${randomBytes(8).toString('hex')}-${trace.flags}`;
}

/**
 * The headers that carry a trace to the next app: X-Request-Id, traceparent, tracestate. With
 * OpenTelemetry on and fetch instrumented, the instrumentation sends traceparent and tracestate
 * from the call's own span, so only the request id is added here (two traceparent headers
 * would be invalid); without the fetch instrumentation, the active span is the parent.
 */
export function traceHeaders(trace: Trace): Record<string, string> {
  if (activeTelemetry()?.tracing?.instrumentsFetch) return { 'x-request-id': trace.requestId };
  return {
    'x-request-id': trace.requestId,
    traceparent: outgoingTraceparent(trace),
    ...(trace.tracestate ? { tracestate: trace.tracestate } : {}),
  };
}

const storage = new AsyncLocalStorage<Trace>();

/** Runs fn (and everything it starts) inside the trace. */
export function runInTrace<T>(trace: Trace, fn: () => T): T {
  return storage.run(trace, fn);
}

/** The trace of the request this code runs for, if any. */
export function currentTrace(): Trace | undefined {
  return storage.getStore();
}
