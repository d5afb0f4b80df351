/**
 * One span as the local platform keeps and shows it, flattened out of an OTLP export
 * (decodeOtlp's shape: resourceSpans > scopeSpans > spans, attributes as key/value lists).
 */
export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  /** Milliseconds since the epoch, to the microsecond. */
  start: number;
  end: number;
  /** service.name of its resource, and the instance (cloudfoundry.app.instance.id, else service.instance.id). */
  service: string;
  instance?: string;
  scope: string;
  attributes: Record<string, string | number | boolean>;
  /** 2: error (OTLP's STATUS_CODE_ERROR). */
  status?: { code: number; message?: string };
  links: Array<{ traceId: string; spanId: string }>;
}

export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

type KeyValue = { key: string; value?: Record<string, unknown> };

/** An OTLP AnyValue as a plain value (arrays and maps as JSON text: enough to show them). */
function plain(value: Record<string, unknown> | undefined): string | number | boolean {
  if (!value) return '';
  if ('stringValue' in value) return String(value.stringValue);
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('boolValue' in value) return Boolean(value.boolValue);
  const [first] = Object.values(value);
  return JSON.stringify(first ?? '');
}

export function attributesOf(list: KeyValue[] | undefined): Record<string, string | number | boolean> {
  const attributes: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) attributes[key] = plain(value);
  return attributes;
}

/** Nanoseconds (a decimal string, as decodeOtlp gives 64-bit integers) to milliseconds. */
const millis = (nanos: unknown): number => Number(BigInt(String(nanos ?? 0)) / 1000n) / 1000;

/** The spans of one decoded ExportTraceServiceRequest. */
export function spansOf(request: Record<string, unknown>): StoredSpan[] {
  const spans: StoredSpan[] = [];
  const resources = (request.resourceSpans ?? []) as Array<{
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: Array<{ scope?: { name?: string }; spans?: Array<Record<string, unknown>> }>;
  }>;
  for (const resourceSpans of resources) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    const service = String(resource['service.name'] ?? 'unknown_service');
    const instance = resource['cloudfoundry.app.instance.id'] ?? resource['service.instance.id'];
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        const status = span.status as { code?: number; message?: string } | undefined;
        spans.push({
          traceId: String(span.traceId ?? ''),
          spanId: String(span.spanId ?? ''),
          ...(span.parentSpanId ? { parentSpanId: String(span.parentSpanId) } : {}),
          name: String(span.name ?? ''),
          kind: Number(span.kind ?? 0),
          start: millis(span.startTimeUnixNano),
          end: millis(span.endTimeUnixNano),
          service,
          ...(instance !== undefined ? { instance: String(instance) } : {}),
          scope: String(scopeSpans.scope?.name ?? ''),
          attributes: attributesOf(span.attributes as KeyValue[]),
          ...(status?.code ? { status: { code: status.code, ...(status.message ? { message: status.message } : {}) } } : {}),
          links: ((span.links ?? []) as Array<{ traceId: string; spanId: string }>).map(({ traceId, spanId }) => ({ traceId, spanId })),
        });
      }
    }
  }
  return spans.filter((span) => /^[0-9a-f]{32}$/.test(span.traceId) && /^[0-9a-f]{16}$/.test(span.spanId));
}
