import { createHash } from 'node:crypto';
import Router from '@koa/router';

/**
 * GET /: the page. It names the current hashed assets, so browsers must revalidate it
 * on every load (no-cache), which the strong ETag makes a cheap 304.
 */
export function pageRouter(page: Buffer): Router {
  const etag = `"${createHash('sha256').update(page).digest('base64url').slice(0, 27)}"`;
  const router = new Router();
  router.get('/', (ctx) => {
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('ETag', etag);
    ctx.type = 'text/html; charset=utf-8';
    ctx.status = 200; // Koa only judges freshness for a 2xx response
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = page;
  });
  return router;
}
