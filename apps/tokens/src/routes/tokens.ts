import Router from '@koa/router';
import { requireAuth, revokeToken, type Redis, type TokenVerifier } from '@bundle/kit';
import { challengeFor, parseBasicAuth } from '../domain/basic-auth';
import { logIn, type LoginDeps } from '../domain/login';

export interface TokensRouteDeps {
  login: LoginDeps;
  /** Verifies the caller's token against this app's own keys (and the revocation list). */
  verify: TokenVerifier;
  /** The event-bus Redis: the revocation list every app consults lives there. */
  busRedis: Redis;
}

/** POST /api/tokens logs in with HTTP Basic; DELETE /api/tokens logs the caller's token out. */
export function tokensRouter(deps: TokensRouteDeps): Router {
  const router = new Router({ prefix: '/api/tokens' });

  // Credentials come only in the Authorization header: any body is ignored. Every answer
  // is no-store (a token above all, RFC 6749 5.1), refusals included.
  router.post('/', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    // A page's script gets a challenge its browser does not answer with a dialog of its own.
    const challenge = challengeFor(ctx.headers);
    const credentials = parseBasicAuth(ctx.get('Authorization') || undefined, challenge);
    const issued = await logIn(deps.login, credentials, { address: ctx.ip, requestId: ctx.requestId, log: ctx.log, challenge });
    ctx.body = issued;
  });

  router.delete('/', requireAuth(deps.verify), async (ctx) => {
    const caller = ctx.state.caller;
    // Also announced on the bus (token.revoked): push ends the streams opened with it.
    if (caller) await revokeToken(deps.busRedis, caller.jti, caller.exp, { requestId: ctx.requestId });
    ctx.status = 204;
  });

  return router;
}
