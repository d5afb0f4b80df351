import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { HttpMetrics } from './metrics';

/** Unmatched paths share one label and one log value, so scanners cannot blow up either. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * One access line per request (method, matched route, path without its query string,
 * status, duration, bytes) and the duration histogram. The query string is left out:
 * it is where clients that cannot set headers put tokens.
 */
export function writeAccessLine(logger: Logger, metrics: HttpMetrics, ctx: Context, durationMs: number, bytes: number): void {
  const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? UNMATCHED_ROUTE;
  const status = ctx.status;
  metrics.observe(route, ctx.method, status, durationMs / 1000);
  logger.info(
    {
      request_id: ctx.requestId,
      method: ctx.method,
      route,
      path: ctx.path,
      status,
      duration_ms: Math.round(durationMs * 100) / 100,
      bytes,
    },
    'request',
  );
}
