import Router from '@koa/router';
import type { TokenKeys } from '../domain/keys';

/**
 * GET /.well-known/jwks.json: the current and the previous public key. Verifiers may cache
 * it for five minutes; they fetch it again at once when a token names a kid they lack.
 */
export function jwksRouter(keys: TokenKeys): Router {
  const router = new Router();
  const body = { keys: keys.jwks.keys };
  router.get('/.well-known/jwks.json', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = body;
  });
  return router;
}
