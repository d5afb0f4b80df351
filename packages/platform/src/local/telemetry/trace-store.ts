import { SPAN_KIND, type StoredSpan } from './spans';

/** What a space keeps of its traces by default: 16 MiB of span data, the oldest traces going first. */
export const DEFAULT_TRACE_BUDGET_BYTES = 16 * 1024 * 1024;

/** One request as the console lists it: the first server span of its trace. */
export interface RecentRequest {
  traceId: string;
  requestId?: string;
  service: string;
  name: string;
  method?: string;
  route?: string;
  path?: string;
  status?: number;
  start: number;
  durationMs: number;
  spans: number;
  error: boolean;
}

interface Trace {
  spans: StoredSpan[];
  bytes: number;
}

/**
 * The recent traces of one space, within a fixed memory budget. Spans arrive in batches
 * from every instance (the receiver); a trace lives in the order it was last added to, and
 * when the spans held pass the budget the trace added to least recently is dropped whole
 * (never half a trace). A span's cost is its JSON size counted twice (V8 keeps short
 * strings as one byte a character, but objects and numbers cost more than their text), plus
 * a fixed 256 bytes: near what a heap snapshot shows for the kit's spans (about 0.9 KB each).
 * Requests are found by trace id or by the request id their server span carries.
 */
export class TraceStore {
  private readonly traces = new Map<string, Trace>();
  private readonly byRequest = new Map<string, string>();
  private held = 0;
  /** Spans dropped with their trace to stay within the budget, since the start. */
  evictedSpans = 0;

  constructor(readonly budgetBytes = DEFAULT_TRACE_BUDGET_BYTES) {}

  get bytes(): number {
    return this.held;
  }

  get size(): number {
    return this.traces.size;
  }

  add(spans: StoredSpan[]): void {
    for (const span of spans) {
      let trace = this.traces.get(span.traceId);
      if (trace)
        this.traces.delete(span.traceId); // moves to the newest end
      else trace = { spans: [], bytes: 0 };
      this.traces.set(span.traceId, trace);
      if (trace.spans.some((held) => held.spanId === span.spanId)) continue; // an export sent again
      const cost = costOf(span);
      trace.spans.push(span);
      trace.bytes += cost;
      this.held += cost;
      const requestId = span.kind === SPAN_KIND.SERVER ? span.attributes.request_id : undefined;
      if (typeof requestId === 'string' && !this.byRequest.has(requestId)) this.byRequest.set(requestId, span.traceId);
    }
    this.evict();
  }

  /** A trace's spans, by trace id or by request id; undefined when it is not (or no longer) kept. */
  find(id: string): StoredSpan[] | undefined {
    const traceId = this.traces.has(id) ? id : this.byRequest.get(id);
    const trace = traceId === undefined ? undefined : this.traces.get(traceId);
    return trace ? [...trace.spans].sort((a, b) => a.start - b.start) : undefined;
  }

  /** The newest requests first: each trace's earliest server span (the router's, when it made one). */
  recent(limit = 100): RecentRequest[] {
    const requests: RecentRequest[] = [];
    for (const [traceId, trace] of [...this.traces].reverse()) {
      const servers = trace.spans.filter((span) => span.kind === SPAN_KIND.SERVER);
      const root = servers.sort((a, b) => a.start - b.start)[0];
      if (!root) continue;
      const requestId = servers.map((span) => span.attributes.request_id).find((value) => typeof value === 'string');
      requests.push({
        traceId,
        ...(typeof requestId === 'string' ? { requestId } : {}),
        service: root.service,
        name: root.name,
        ...optionalText('method', root.attributes['http.request.method']),
        // The router knows no route template: the first app's span that does names it.
        ...optionalText(
          'route',
          servers.map((span) => span.attributes['http.route']).find((value) => typeof value === 'string'),
        ),
        ...optionalText('path', root.attributes['url.path']),
        ...(typeof root.attributes['http.response.status_code'] === 'number'
          ? { status: root.attributes['http.response.status_code'] }
          : {}),
        start: root.start,
        durationMs: Math.round((root.end - root.start) * 1000) / 1000,
        spans: trace.spans.length,
        error: trace.spans.some((span) => span.status?.code === 2),
      });
      if (requests.length >= limit) break;
    }
    return requests.sort((a, b) => b.start - a.start);
  }

  private evict(): void {
    for (const [traceId, trace] of this.traces) {
      if (this.held <= this.budgetBytes) return;
      this.traces.delete(traceId);
      this.held -= trace.bytes;
      this.evictedSpans += trace.spans.length;
      for (const span of trace.spans) {
        const requestId = span.attributes.request_id;
        if (typeof requestId === 'string' && this.byRequest.get(requestId) === traceId) this.byRequest.delete(requestId);
      }
    }
  }
}

function costOf(span: StoredSpan): number {
  return 2 * JSON.stringify(span).length + 256;
}

function optionalText<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}
