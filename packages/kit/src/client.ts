import { UpstreamError } from './errors';
import { currentTrace, traceHeaders } from './trace';

export interface ServiceClientOptions {
  /** The other app's name, for error messages ("users"). */
  name: string;
  baseUrl: string;
  timeoutMs?: number;
  /** Extra attempts for idempotent methods after a network error, timeout or 5xx. */
  retries?: number;
  /** First retry delay; doubles on each attempt. */
  retryDelayMs?: number;
  /** Sent on every call (e.g. service credentials). */
  headers?: Record<string, string>;
}

export interface ServiceRequest {
  method?: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * The caller's request id, so one grep follows the request across apps. Inside a
   * request the kit sends it (and a traceparent with the same trace id) by itself.
   */
  requestId?: string;
}

export interface ServiceResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * App-to-app HTTP on Node's fetch: every call has a timeout and carries the request id
 * and, inside a request, its W3C traceparent (same trace id, a new parent id per call);
 * idempotent calls are retried with backoff. A 4xx answer is returned for the caller to
 * read; a 5xx, a timeout or an unreachable app becomes an UpstreamError (502, 504, 503).
 */
export function createServiceClient(options: ServiceClientOptions) {
  const timeoutMs = options.timeoutMs ?? 2000;
  const retries = options.retries ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 100;

  async function attempt<T>(request: ServiceRequest): Promise<ServiceResponse<T>> {
    const method = request.method ?? 'GET';
    const trace = currentTrace();
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(trace ? traceHeaders(trace) : {}),
      ...options.headers,
      ...request.headers,
    };
    if (request.requestId) headers['x-request-id'] = request.requestId;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL(request.path, options.baseUrl), {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Inside the try: a body that stops arriving is the same timeout as no answer.
      text = await response.text();
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new UpstreamError(
        timedOut ? `${options.name} did not answer within ${timeoutMs} ms` : `${options.name} is unreachable`,
        undefined,
        {
          cause: error,
          status: timedOut ? 504 : 503,
          code: timedOut ? 'upstream_timeout' : 'upstream_unavailable',
        },
      );
    }
    let body: unknown = text;
    if (text !== '' && (response.headers.get('content-type') ?? '').includes('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        // a broken JSON answer is still an answer: keep the text
      }
    }
    if (response.status >= 500) {
      throw new UpstreamError(`${options.name} answered ${response.status}`, response.status);
    }
    return { status: response.status, headers: response.headers, body: body as T };
  }

  return {
    async request<T = unknown>(request: ServiceRequest): Promise<ServiceResponse<T>> {
      const tries = IDEMPOTENT.has(request.method ?? 'GET') ? retries + 1 : 1;
      for (let index = 1; ; index += 1) {
        try {
          return await attempt<T>(request);
        } catch (error) {
          if (index >= tries) throw error;
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (index - 1)));
        }
      }
    },
  };
}

export type ServiceClient = ReturnType<typeof createServiceClient>;
