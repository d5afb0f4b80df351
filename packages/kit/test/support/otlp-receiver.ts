import { createServer } from 'node:http';
import { once } from 'node:events';
import { decodeOtlp, type OtlpSignal } from '../../../platform/src/local/telemetry/otlp-decode';

/** One export as the receiver got it: decoded against the OpenTelemetry proto definitions. */
export interface Export {
  signal: OtlpSignal;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** One span, flattened out of its resource and scope. */
export interface FlatSpan {
  service: string;
  resource: Record<string, unknown>;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  links: Array<{ traceId: string; spanId: string }>;
}

type KeyValue = { key: string; value: Record<string, unknown> };
type Attributed = { attributes?: KeyValue[] };

/** An attribute list as a plain object (intValue stays a decimal string, as OTLP/JSON writes it). */
export function attributesOf(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, Object.values(value)[0]]));
}

/**
 * An OTLP/HTTP receiver for tests (127.0.0.1, a free port): answers 200 to POST /v1/traces
 * and /v1/metrics, keeps every export decoded by the platform's decoder (protobufjs and the
 * opentelemetry-proto definitions, both encodings), and 400 to a body the definitions refuse.
 */
export async function startOtlpReceiver() {
  const exports: Export[] = [];
  const rejected: string[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const signal = req.url === '/v1/traces' ? 'traces' : req.url === '/v1/metrics' ? 'metrics' : undefined;
      const contentType = req.headers['content-type'] ?? '';
      try {
        if (!signal) throw new Error(`unknown path ${req.url}`);
        exports.push({ signal, contentType, headers: req.headers, body: decodeOtlp(signal, contentType, Buffer.concat(chunks)) });
        res.writeHead(200, { 'content-type': contentType });
        res.end(contentType.includes('json') ? '{}' : '');
      } catch (error) {
        rejected.push((error as Error).message);
        res.writeHead(400).end();
      }
      for (const wake of waiters.splice(0)) wake();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const spans = (): FlatSpan[] =>
    exports
      .filter((entry) => entry.signal === 'traces')
      .flatMap((entry) =>
        (
          entry.body.resourceSpans as Array<
            Attributed & { resource: Attributed; scopeSpans: Array<{ scope: { name: string }; spans: Array<Record<string, unknown>> }> }
          >
        ).flatMap((resourceSpans) => {
          const resource = attributesOf(resourceSpans.resource.attributes);
          return resourceSpans.scopeSpans.flatMap((scopeSpans) =>
            scopeSpans.spans.map((span) => ({
              service: resource['service.name'] as string,
              resource,
              scope: scopeSpans.scope.name,
              traceId: span.traceId as string,
              spanId: span.spanId as string,
              parentSpanId: (span.parentSpanId as string | undefined) || undefined,
              name: span.name as string,
              kind: span.kind as number,
              attributes: attributesOf(span.attributes as KeyValue[]),
              links: ((span.links as Array<{ traceId: string; spanId: string }>) ?? []).map(({ traceId, spanId }) => ({ traceId, spanId })),
            })),
          );
        }),
      );

  /** Resolves once check() returns something truthy, rechecked after each export. */
  const waitFor = async <T>(check: () => T | undefined | false): Promise<T> => {
    for (;;) {
      const found = check();
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };

  return {
    url,
    exports,
    rejected,
    spans,
    waitFor,
    // Every connection, not only the idle ones: an exporting child keeps its keep-alive
    // connections busy, and server.close() alone would wait for them for ever.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type OtlpReceiver = Awaited<ReturnType<typeof startOtlpReceiver>>;
