import { randomBytes } from 'node:crypto';
import type { StoredSpan } from './spans';

/**
 * What a router does with W3C trace context, as Cloud Foundry's gorouter does with
 * `router.tracing.enable_w3c: true` (docs.cloudfoundry.org, "Enabling W3C tracing"): it
 * continues a valid incoming `traceparent` (same trace id and flags) and starts a trace
 * otherwise (sampled), always as a span of its own, whose id becomes the parent id the app
 * receives; it puts `gorouter=<its span id>` first in `tracestate` (any earlier gorouter
 * entry out, at most 32 entries), and logs the trace and span ids in its access line.
 */
export interface RouterTrace {
  traceId: string;
  spanId: string;
  /** The caller's span, when the request brought a valid traceparent. */
  parentSpanId?: string;
  flags: string;
  /** The two headers to send to the app, in place of the incoming ones. */
  traceparent: string;
  tracestate: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZEROS = /^0+$/;
/** The tracestate key (gorouter's own when no tenant id is set). */
export const TRACESTATE_KEY = 'gorouter';
const MAX_TRACESTATE_ENTRIES = 32;

/** The incoming traceparent's ids when valid (the kit's rule, packages/kit/src/trace.ts), else undefined. */
function parse(value: string | string[] | undefined): { traceId: string; parentId: string; flags: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  if (version === 'ff' || (version === '00' && rest !== undefined) || ZEROS.test(traceId) || ZEROS.test(parentId)) return undefined;
  return { traceId, parentId, flags };
}

export function routerTrace(
  headers: Record<string, string | string[] | undefined>,
  newId: (bytes: number) => string = randomHex,
): RouterTrace {
  const incoming = parse(headers.traceparent);
  const traceId = incoming?.traceId ?? newId(16);
  const spanId = newId(8);
  const flags = incoming?.flags ?? '01';
  // tracestate belongs to the trace it came with: a new trace starts a new one.
  const state = incoming && typeof headers.tracestate === 'string' ? headers.tracestate : '';
  const others = state
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith(`${TRACESTATE_KEY}=`))
    .slice(0, MAX_TRACESTATE_ENTRIES - 1);
  return {
    traceId,
    spanId,
    ...(incoming ? { parentSpanId: incoming.parentId } : {}),
    flags,
    traceparent: `00-${traceId}-${spanId}-${flags}`,
    tracestate: [`${TRACESTATE_KEY}=${spanId}`, ...others].join(','),
  };
}

function randomHex(bytes: number): string {
  let id = randomBytes(bytes).toString('hex');
  while (ZEROS.test(id)) id = randomBytes(bytes).toString('hex');
  return id;
}

/** The router's span of one request, for the space's trace store (kind server, service "router"). */
export function routerSpan(
  trace: RouterTrace,
  request: { method: string; path: string; requestId: string; start: number; end: number; status: number; app?: string; instance?: string },
): StoredSpan {
  return {
    traceId: trace.traceId,
    spanId: trace.spanId,
    ...(trace.parentSpanId ? { parentSpanId: trace.parentSpanId } : {}),
    name: `${request.method} ${request.path}`,
    kind: 2,
    start: request.start,
    end: request.end,
    service: 'router',
    scope: '@bundle/platform',
    attributes: {
      'http.request.method': request.method,
      'url.path': request.path,
      'http.response.status_code': request.status,
      request_id: request.requestId,
      ...(request.app ? { 'cloudfoundry.app.name': request.app } : {}),
      ...(request.instance !== undefined ? { 'cloudfoundry.app.instance.id': request.instance } : {}),
    },
    ...(request.status >= 500 ? { status: { code: 2 } } : {}),
    links: [],
  };
}
