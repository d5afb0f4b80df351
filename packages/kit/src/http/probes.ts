import type { Context } from 'koa';
import type { Logger } from 'pino';
import { isRouted } from './ops-access';

/**
 * True for a platform health check: GET /health or /ready on the instance port, not
 * through a router (Diego, Heroku and the local platform ask there, every few seconds).
 * Their access lines are debug, not info: at info they would be most of every app's log.
 */
export function isPlatformProbe(ctx: Pick<Context, 'method' | 'path' | 'get'>): boolean {
  return (ctx.path === '/health' || ctx.path === '/ready') && (ctx.method === 'GET' || ctx.method === 'HEAD') && !isRouted(ctx);
}

/** What /ready answered, reduced to what a person needs to know: "ready", "draining", "unavailable: redis". */
export type ReadinessState = string;

/**
 * Says once when /ready's answer changes (warn when it stops being ready, info when it is
 * ready again) instead of a line per probe: with the probes' access lines at debug, this
 * is the line that tells a failing backing service. Until the first ready answer the
 * instance is starting (its connections are being made, the platform waits and says when
 * it is ready), so those answers are debug.
 */
export function readinessLog(logger: Logger | undefined): (state: ReadinessState, checks: Record<string, string>) => void {
  let last: ReadinessState | undefined;
  return (state, checks) => {
    if (state === last) return;
    const was = last;
    if (was === undefined && state !== 'ready') {
      logger?.debug({ readiness: state, checks }, `starting, not ready yet: ${state}`);
      return;
    }
    last = state;
    // Draining has its own line (lifecycle.ts): the instance is stopping, not failing.
    if (!logger || was === undefined || state === 'draining') return;
    if (state === 'ready') logger.info({ readiness: state, was, checks }, 'ready again');
    else logger.warn({ readiness: state, was, checks }, `not ready: ${state}`);
  };
}
