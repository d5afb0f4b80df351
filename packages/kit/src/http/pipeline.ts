import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { AppError, NotFoundError } from '../errors';
import { accessLineWriter, writeAccessLine, writeProbeLine } from './access-log';
import { respondWithError } from './errors';
import type { HttpMetrics } from './metrics';
import { isPlatformProbe } from './probes';
import { pickRequestId } from './request-id';
import type { Tracing } from '../telemetry/hooks';
import { runInTrace, traceOf } from '../trace';
import { HSTS_HEADER, SECURITY_HEADERS } from './security-headers';

export interface PipelineOptions {
  accessLogger: Logger;
  metrics: HttpMetrics;
  isDraining: () => boolean;
  /** Present when OpenTelemetry traces are exported: each request then runs in its server span. */
  tracing?: Tracing | undefined;
}

type Ctx = Parameters<Middleware>[0];

/**
 * The kit's whole request stack as ONE middleware, in this order: request id, timing,
 * security headers, errors; then the app; then JSON 404/405, the access line
 * and the duration histogram. Each Koa middleware layer costs a promise and a closure
 * per request, so the steps are plain function calls here (bench/kit measures the gain).
 * With telemetry on, all of it runs in the request's server span (its log lines, the access
 * line included, carry the trace and span ids), ended with the status once answered.
 */
export function requestPipeline(options: PipelineOptions): Middleware {
  const writeLine = accessLineWriter(options.accessLogger);
  const { tracing } = options;

  const handle = async (ctx: Ctx, next: () => Promise<unknown>, started: number): Promise<void> => {
    try {
      await next();
      if (ctx.body === undefined || ctx.body === null) {
        if (ctx.status === 404) throw new NotFoundError(`no route for ${ctx.method} ${ctx.path}`);
        // @koa/router answers 501 to a method it does not know at all (TRACE, PROPFIND...):
        // for a client that is as much "not allowed here" as an unused known method, and a
        // 5xx would page whoever watches the error rate for a stranger's odd request.
        if (ctx.status === 405 || ctx.status === 501)
          throw new AppError(
            405,
            'method_not_allowed',
            `${ctx.method} is not allowed on ${ctx.path} (allowed: ${ctx.response.get('Allow')})`,
          );
      }
    } catch (caught) {
      respondWithError(ctx, caught);
    }
    // While draining, tell keep-alive clients to reconnect (to another instance), including
    // those whose request was already in flight when draining began.
    if (options.isDraining() && !ctx.headerSent) ctx.set('Connection', 'close');
    const bytes = serializeJson(ctx) ?? ctx.response.length ?? 0;
    const durationMs = performance.now() - started;
    // A platform probe's answer is debug; a failing /health stays an info line (a failing
    // /ready is said once per change by the route itself).
    if (isPlatformProbe(ctx) && (ctx.status < 300 || ctx.path === '/ready'))
      writeProbeLine(options.accessLogger, options.metrics, ctx, durationMs, bytes);
    else writeAccessLine(writeLine, options.metrics, ctx, durationMs, bytes);
  };

  return (ctx, next) => {
    const started = performance.now();
    const requestId = pickRequestId(ctx.req.headers);
    ctx.requestId = requestId;
    const res = ctx.res;
    res.setHeader('X-Request-Id', requestId);
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    if (ctx.secure) res.setHeader(...HSTS_HEADER);
    // Inside the request's trace: the service client and the bus pass it on from there.
    const trace = traceOf(requestId, ctx.req.headers);
    if (tracing === undefined) return runInTrace(trace, () => handle(ctx, next, started));
    const span = tracing.serverSpan(ctx.method, ctx.path, ctx.req.headers, requestId);
    trace.traceId = span.traceId;
    trace.flags = span.sampled ? '01' : '00';
    return runInTrace(trace, () => span.run(() => handle(ctx, next, started))).finally(() =>
      span.end(ctx.status, (ctx as { _matchedRoute?: string })._matchedRoute),
    );
  };
}

/**
 * Serializes a JSON body now (Koa would do it when responding) so its length is known
 * for the access line without serializing twice. Returns that length in bytes, or
 * undefined when the body is not one to serialize.
 */
function serializeJson(ctx: Ctx): number | undefined {
  const body: unknown = ctx.body;
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body) || typeof (body as { pipe?: unknown }).pipe === 'function')
    return undefined;
  if (body instanceof Blob || body instanceof ReadableStream || body instanceof Response) return undefined;
  const json = JSON.stringify(body);
  ctx.body = json; // Koa's setter keeps the JSON type and sets Content-Length
  return Buffer.byteLength(json);
}
