import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeOtlp, OtlpDecodeError, type OtlpSignal } from './otlp-decode';
import { spansOf, type StoredSpan } from './spans';

/** An export larger than this is refused (413): the SDK's batches are a few hundred kB. */
export const MAX_EXPORT_BYTES = 8 * 1024 * 1024;

export interface OtlpReceiver {
  /** http://127.0.0.1:<port>: what the space's apps get as OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  onSpans(spans: StoredSpan[]): void;
  /** The latest metrics export of each service, for whoever shows them (optional). */
  onMetrics?(request: Record<string, unknown>): void;
  /** 0 (the default): a free port, bound by the supervisor. */
  port?: number;
}

const PATHS: Record<string, OtlpSignal> = { '/v1/traces': 'traces', '/v1/metrics': 'metrics' };

/**
 * The local platform's OTLP/HTTP receiver (what a collector is to Cloud Foundry): POST
 * /v1/traces and /v1/metrics in both encodings (decodeOtlp: the opentelemetry-proto
 * definitions), answered as the specification says, 200 with an empty Export*ServiceResponse
 * in the request's encoding; 400 for a body the definitions refuse, 404 another path, 405
 * another method, 413 past MAX_EXPORT_BYTES, 415 another content type. It listens on
 * 127.0.0.1 only.
 */
export async function startOtlpReceiver(options: ReceiverOptions): Promise<OtlpReceiver> {
  const server: Server = createServer((req, res) => {
    const answer = (status: number, message?: string): void => {
      if (res.headersSent) return;
      const type = (req.headers['content-type'] ?? '').includes('json') ? 'application/json' : 'application/x-protobuf';
      // An error is a google.rpc.Status; in protobuf an empty body is a Status with no fields, enough for an exporter.
      const body = type === 'application/json' ? JSON.stringify(message ? { code: status, message } : {}) : '';
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
    };
    const signal = PATHS[(req.url ?? '').split('?')[0] ?? ''];
    if (!signal) return answer(404, 'not an OTLP path (POST /v1/traces or /v1/metrics)');
    if (req.method !== 'POST') return answer(405, 'POST only');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_EXPORT_BYTES) {
        answer(413, `an export over ${MAX_EXPORT_BYTES} bytes`);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        const body = decodeOtlp(signal, req.headers['content-type'], Buffer.concat(chunks));
        if (signal === 'traces') options.onSpans(spansOf(body));
        else options.onMetrics?.(body);
        answer(200);
      } catch (error) {
        answer(error instanceof OtlpDecodeError ? error.status : 500, (error as Error).message);
      }
    });
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
