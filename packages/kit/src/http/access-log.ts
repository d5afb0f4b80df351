import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { HttpMetrics } from './metrics';

/** Unmatched paths share one label and one log value, so scanners cannot blow up either. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * One access line per request (method, matched route, path without its query string,
 * status, duration, bytes) and the duration histogram. The query string is left out:
 * it is where clients that cannot set headers put tokens.
 */
export function accessLog(logger: Logger, metrics: HttpMetrics): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      // Runs after the error middleware below has set the final status.
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? UNMATCHED_ROUTE;
      const status = ctx.status;
      metrics.observe(route, ctx.method, status, seconds);
      logger.info(
        {
          request_id: ctx.requestId,
          method: ctx.method,
          route,
          path: ctx.path,
          status,
          duration_ms: Math.round(seconds * 1e5) / 100,
          bytes: ctx.response.length ?? 0,
        },
        'request',
      );
    }
  };
}
