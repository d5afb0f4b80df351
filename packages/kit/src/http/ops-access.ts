import { createHash, timingSafeEqual } from 'node:crypto';
import type convict from 'convict';
import type { Context, Middleware } from 'koa';
import { loadSettings } from '../config/settings';
import type { Env } from '../config/vcap';
import { ConfigError } from '../config/errors';
import { NotFoundError } from '../errors';
import { DEFAULT_OPS_ACCESS, type KitApp, type OpsAccess } from './kit-state';

export type { OpsAccess } from './kit-state';

const MIN_TOKEN_LENGTH = 16;

const schema: convict.Schema<{ metricsToken: string; publicVersion: boolean; internalViaRouter: boolean }> = {
  metricsToken: {
    doc: `Bearer token that opens /metrics, /ready and /version to requests through a router (at least ${MIN_TOKEN_LENGTH} characters); empty: routed requests never see them`,
    format: String,
    default: '',
    env: 'METRICS_TOKEN',
    sensitive: true,
  },
  publicVersion: {
    doc: 'Whether /version (app and version, without the commit) answers routed requests without the token: the pipeline checks releases through each app route',
    format: 'true-or-false',
    default: true,
    env: 'PUBLIC_VERSION',
  },
  internalViaRouter: {
    doc: "Whether internal routes (the users app's credentials check) answer requests through a router; only while the caller cannot reach the instance directly (no internal route)",
    format: 'true-or-false',
    default: false,
    env: 'INTERNAL_ROUTES_VIA_ROUTER',
  },
};

/** METRICS_TOKEN, PUBLIC_VERSION and INTERNAL_ROUTES_VIA_ROUTER from the environment main.ts hands over; a bad value is a ConfigError. */
export function loadOpsAccess(env: Env): OpsAccess {
  const settings = loadSettings(schema, env);
  if (settings.metricsToken !== '' && settings.metricsToken.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(`METRICS_TOKEN: expected a secret of at least ${MIN_TOKEN_LENGTH} characters`, 'METRICS_TOKEN');
  }
  return {
    metricsToken: settings.metricsToken || undefined,
    publicVersion: settings.publicVersion,
    internalViaRouter: settings.internalViaRouter,
  };
}

/**
 * True when the request came through a router hop. Cloud Foundry's gorouter, Heroku's
 * router and the local platform's router always add X-Forwarded-For, and a client cannot
 * make them drop it; platform health checks and container-to-container calls reach the
 * instance port directly, without it.
 */
export function isRouted(ctx: Pick<Context, 'get'>): boolean {
  return ctx.get('X-Forwarded-For') !== '' || ctx.get('Forwarded') !== '';
}

/** True when the request carries `Authorization: Bearer <token>` for this token (compared in constant time). */
export function hasBearer(ctx: Pick<Context, 'get'>, token: string | undefined): boolean {
  if (token === undefined) return false;
  const match = /^Bearer +(\S+)$/i.exec(ctx.get('Authorization'));
  if (!match) return false;
  // Digests have one length, so timingSafeEqual never throws nor leaks the token's length.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1] as string), digest(token));
}

/**
 * For routes only other processes of the platform may call (internal routes): a request
 * that came through a router is answered 404, as if the route did not exist, unless the
 * deployment says its callers can only come that way (INTERNAL_ROUTES_VIA_ROUTER).
 */
export function directOnly(): Middleware {
  return async (ctx, next) => {
    const ops = (ctx.app as Partial<KitApp>).kit?.ops ?? DEFAULT_OPS_ACCESS;
    if (isRouted(ctx) && !ops.internalViaRouter) throw new NotFoundError(`no route for ${ctx.method} ${ctx.path}`);
    await next();
  };
}
