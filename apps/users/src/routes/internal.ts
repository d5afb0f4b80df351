import Router from '@koa/router';
import { directOnly, jsonBody, ServiceUnavailableError, UnauthorizedError } from '@bundle/kit';
import type { Middleware } from 'koa';
import { serviceKeyMatches } from '../domain/service-key';
import { requestBody } from './body';
import { verifyCredentials, type UsersDomain } from '../domain/users';
import { parseCredentials } from '../domain/validation';

export const SERVICE_KEY_HEADER = 'X-Service-Key';

/** Lets through only callers that present the shared service key; with none configured the route is off. */
export function requireServiceKey(serviceKey: string | undefined): Middleware {
  return async (ctx, next) => {
    if (serviceKey === undefined) throw new ServiceUnavailableError('service credentials are not configured', { retryAfterSeconds: 60 });
    const presented = ctx.get(SERVICE_KEY_HEADER);
    if (presented === '' || !serviceKeyMatches(presented, serviceKey)) {
      throw new UnauthorizedError(`service credentials required in ${SERVICE_KEY_HEADER}`, 'ServiceKey realm="users-internal"');
    }
    await next();
  };
}

/**
 * Routes for other apps of the system, never for browsers: the tokens app checks passwords
 * here. A request through a router gets 404 (directOnly) unless INTERNAL_ROUTES_VIA_ROUTER
 * says the tokens app can only come that way; the body is read only once the key matched.
 */
export function internalRouter(domain: UsersDomain, serviceKey: string | undefined): Router {
  const router = new Router({ prefix: '/api/users/internal' });
  router.post('/credentials/verify', directOnly(), requireServiceKey(serviceKey), jsonBody({ limit: '16kb' }), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await verifyCredentials(domain, parseCredentials(requestBody(ctx)));
  });
  return router;
}
