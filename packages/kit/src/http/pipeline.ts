import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { AppError, NotFoundError } from '../errors';
import { writeAccessLine } from './access-log';
import { readJsonBody, requestHasBody } from './body';
import { respondWithError } from './errors';
import type { HttpMetrics } from './metrics';
import { pickRequestId } from './request-id';
import { SECURITY_HEADERS } from './security-headers';

export interface PipelineOptions {
  accessLogger: Logger;
  metrics: HttpMetrics;
  bodyLimit: string;
  isDraining: () => boolean;
}

/**
 * The kit's whole request stack as ONE middleware, in this order: request id, timing,
 * security headers, errors, JSON body; then the app; then JSON 404/405, the access line
 * and the duration histogram. Each Koa middleware layer costs a promise and a closure
 * per request, so the steps are plain function calls here (bench/kit measures the gain).
 */
export function requestPipeline(options: PipelineOptions): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    ctx.requestId = pickRequestId(ctx.headers);
    const res = ctx.res;
    res.setHeader('X-Request-Id', ctx.requestId);
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    try {
      if (requestHasBody(ctx)) ctx.request.body = await readJsonBody(ctx, options.bodyLimit);
      await next();
      if (ctx.body === undefined || ctx.body === null) {
        if (ctx.status === 404) throw new NotFoundError(`no route for ${ctx.method} ${ctx.path}`);
        if (ctx.status === 405) throw new AppError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path} (allowed: ${ctx.response.get('Allow')})`);
      }
    } catch (caught) {
      respondWithError(ctx, caught);
    }
    // While draining, tell keep-alive clients to reconnect (to another instance), including
    // those whose request was already in flight when draining began.
    if (options.isDraining() && !ctx.headerSent) ctx.set('Connection', 'close');
    serializeJson(ctx);
    writeAccessLine(options.accessLogger, options.metrics, ctx, performance.now() - started);
  };
}

/**
 * Serializes a JSON body now (Koa would do it when responding) so its length is known
 * for the access line without serializing twice.
 */
function serializeJson(ctx: Parameters<Middleware>[0]): void {
  const body: unknown = ctx.body;
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body) || typeof (body as { pipe?: unknown }).pipe === 'function') return;
  if (body instanceof Blob || body instanceof ReadableStream || body instanceof Response) return;
  ctx.body = JSON.stringify(body);
}
