import Router from '@koa/router';
import { retiredSigningKeys, type Logger, type Redis } from '@bundle/kit';
import type { TokenKeys } from '../domain/keys';

/**
 * GET /.well-known/jwks.json: the current and the previous public key, less any key retired
 * since (scripts/rotate-keys retire: the retired set on the event bus). Verifiers may cache
 * it for five minutes; they fetch it again at once when a token names a kid they lack, and
 * they refuse a retired key's tokens at once whatever they cached (the kit's token check
 * reads the retired set). When the bus cannot be read, the configured keys are served: a
 * retired key listed a while longer is still refused by every verifier.
 */
export function jwksRouter(keys: TokenKeys, busRedis: Redis, logger: Logger): Router {
  const router = new Router();
  router.get('/.well-known/jwks.json', async (ctx) => {
    let retired: string[] = [];
    try {
      retired = await retiredSigningKeys(busRedis);
    } catch (error) {
      logger.warn({ err: { message: (error as Error).message } }, 'the retired signing keys cannot be read; serving every configured key');
    }
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = { keys: keys.jwks.keys.filter((key) => !retired.includes(key.kid ?? '')) };
  });
  return router;
}
