import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { AppIdentity } from '../config/application';
import './body';
import './context';
import { DEFAULT_OPS_ACCESS, type KitApp, type OpsAccess } from './kit-state';
import { createHttpMetrics } from './metrics';
import { opsRoutes, type ReadinessCheck } from './ops-routes';
import { activeTelemetry } from '../telemetry/hooks';
import { requestPipeline } from './pipeline';
import { TakenConnections } from './take-connection';

export interface CreateAppOptions {
  identity: AppIdentity;
  logger: Logger;
  /** The app's own routers, each with its prefix. */
  routers?: Router[];
  /** Named checks behind GET /ready, e.g. `{ redis: () => redis.ping() }`. */
  readiness?: Record<string, ReadinessCheck>;
  readinessTimeoutMs?: number;
  /** Who sees /ready, /version and /metrics through a router (boot() sets it from METRICS_TOKEN and PUBLIC_VERSION). */
  ops?: OpsAccess;
  /** Process metrics cost a little per app; tests that build many apps turn them off. */
  processMetrics?: boolean;
  /** Extra middleware placed after the standard stack, before the routes (e.g. static files). */
  middleware?: Koa.Middleware[];
  /**
   * Proxies in front of the app that append to X-Forwarded-For (default 1: the platform's
   * router). ctx.ip is the entry the outermost of them appended; 0 trusts no header.
   */
  trustedProxyHops?: number;
}

// Named here too, for the modules that already import them from create-app (boot, lifecycle).
export type { KitApp, KitState } from './kit-state';

/**
 * Builds a Koa app with the standard stack, in this order: request id, access log,
 * errors, security headers, ops routes, the app's routes, JSON 404/405. No body is read
 * here: a route that takes one puts jsonBody() (or rawBody()) after its auth.
 * Never listens and never reads the environment (see lifecycle.serve).
 */
export function createApp(options: CreateAppOptions): KitApp {
  const app = new Koa() as KitApp;
  // The platform's router is the client: take the address and scheme from X-Forwarded-*,
  // but only the entries trusted routers appended (read from the right): anything left of
  // them is whatever the client wrote, so without maxIpsCount ctx.ip would be the client's choice.
  const hops = options.trustedProxyHops ?? 1;
  app.proxy = hops > 0;
  app.maxIpsCount = hops;
  app.silent = true; // errors are logged by the pipeline (respondWithError), not by Koa's default handler
  const metrics = createHttpMetrics(options.processMetrics ?? true);
  const telemetry = activeTelemetry();
  telemetry?.addMetrics(metrics.registry); // /metrics, over OTLP too when an endpoint is configured
  app.kit = {
    identity: options.identity,
    logger: options.logger,
    metrics,
    draining: false,
    streams: new Set(),
    connections: new TakenConnections(),
    ops: options.ops ?? DEFAULT_OPS_ACCESS,
  };

  // ctx.log is made on first use: most requests only write the access line.
  const logger = options.logger;
  Object.defineProperty(app.context, 'log', {
    get(this: Koa.Context & { _log?: Logger }) {
      this._log ??= logger.child({ request_id: this.requestId });
      return this._log;
    },
  });

  app.use(
    requestPipeline({
      // Access lines hold only fields the kit chooses (never headers or bodies), so they
      // skip redaction, which would otherwise cost every request a walk over the paths.
      accessLogger: options.logger.child({}, { redact: { paths: [] } }),
      metrics,
      isDraining: () => app.kit.draining,
      tracing: telemetry?.tracing,
    }),
  );
  for (const middleware of options.middleware ?? []) app.use(middleware);

  const ops = opsRoutes({
    identity: options.identity,
    metrics,
    readiness: options.readiness ?? {},
    readinessTimeoutMs: options.readinessTimeoutMs ?? 1000,
    isDraining: () => app.kit.draining,
    access: () => app.kit.ops,
    log: options.logger,
  });
  // The app's routes first: they carry the traffic, and a matched route ends the chain.
  for (const router of [...(options.routers ?? []), ops]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
