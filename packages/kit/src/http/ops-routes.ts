import Router from '@koa/router';
import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { AppIdentity } from '../config/application';
import { NotFoundError } from '../errors';
import type { HttpMetrics } from './metrics';
import type { OpsAccess } from './kit-state';
import { hasBearer, isRouted } from './ops-access';
import { readinessLog } from './probes';

/** A readiness check resolves when its backing service answers, and throws otherwise. */
export type ReadinessCheck = () => Promise<unknown>;

export interface OpsOptions {
  identity: AppIdentity;
  metrics: HttpMetrics;
  readiness: Record<string, ReadinessCheck>;
  readinessTimeoutMs: number;
  isDraining: () => boolean;
  /** Read per request: boot() sets it after the app is built. */
  access: () => OpsAccess;
  /** Where a change of /ready's answer is said (once per change, not per probe). */
  log?: Logger;
}

/**
 * GET /health, /ready, /version and /metrics: the same on every app. /health answers
 * everyone (it says nothing but "ok"). The others name backing services, code and traffic:
 * they answer platform health checks and scrapers on the instance port, and a request that
 * came through a router only with the METRICS_TOKEN bearer (else 404, as if absent), except
 * that /version answers routed requests with app and version when publicVersion is on.
 */
export function opsRoutes(options: OpsOptions): Router {
  const router = new Router();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  /** Routed and without the token: the ops routes are not there. */
  const hidden = (ctx: Context): boolean => isRouted(ctx) && !hasBearer(ctx, options.access().metricsToken);
  const notThere = (ctx: Context): never => {
    throw new NotFoundError(`no route for ${ctx.method} ${ctx.path}`);
  };
  const readinessChanged = readinessLog(options.log);
  router.get('/ready', async (ctx) => {
    if (hidden(ctx)) notThere(ctx);
    ctx.set('Cache-Control', 'no-store');
    if (options.isDraining()) {
      ctx.status = 503;
      ctx.body = { status: 'draining', checks: {} };
      readinessChanged('draining', {});
      return;
    }
    const checks = await runChecks(options.readiness, options.readinessTimeoutMs);
    const failed = Object.entries(checks).filter(([, result]) => result !== 'ok');
    readinessChanged(failed.length === 0 ? 'ready' : `unavailable: ${failed.map(([name]) => name).join(', ')}`, checks);
    ctx.status = failed.length === 0 ? 200 : 503;
    ctx.body = failed.length === 0 ? { status: 'ready', checks } : { status: 'unavailable', failed: failed.map(([name]) => name), checks };
  });
  router.get('/version', (ctx) => {
    if (hidden(ctx)) {
      if (!options.access().publicVersion) notThere(ctx);
      ctx.body = { app: options.identity.app, version: options.identity.version };
      return;
    }
    ctx.body = { app: options.identity.app, version: options.identity.version, commit: options.identity.commit };
  });
  router.get('/metrics', async (ctx) => {
    if (hidden(ctx)) notThere(ctx);
    ctx.type = options.metrics.registry.contentType;
    ctx.body = await options.metrics.registry.metrics();
  });
  return router;
}

/** Runs every check at once, each bounded by the timeout: "ok", "timeout" or the error's message. */
export async function runChecks(checks: Record<string, ReadinessCheck>, timeoutMs: number): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, string]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      // A check that throws synchronously is a failed check, not a failed /ready.
      const result = Promise.resolve()
        .then(check)
        .then(
          () => 'ok',
          (error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`,
        );
      try {
        return [name, await Promise.race([result, timeout])];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(entries);
}
