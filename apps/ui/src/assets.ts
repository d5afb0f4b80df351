import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import serveStatic from 'koa-static';

/** Hashed asset names change with their content, so a copy never goes stale. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
export const ASSETS_PREFIX = '/assets/';

/**
 * Serves the bundle's hashed files under /assets/ (precompressed .br/.gz siblings when the
 * client accepts them). Anything else, and any file that is not there, falls through to
 * the routes, so an unknown asset gets the kit's JSON 404.
 */
export function assets(publicDir: string): Middleware {
  // Rooted at assets/ itself, so "/assets/../index.html" is refused rather than served as an asset.
  const files = serveStatic(join(publicDir, 'assets'), {
    index: false,
    hidden: false,
    brotli: true,
    gzip: true,
    setHeaders(res: ServerResponse) {
      res.setHeader('Cache-Control', ASSET_CACHE_CONTROL);
      res.setHeader('Vary', 'Accept-Encoding');
    },
  });
  return async (ctx, next) => {
    const path = ctx.path;
    if (!path.startsWith(ASSETS_PREFIX)) return next();
    let fellThrough = false;
    ctx.path = path.slice(ASSETS_PREFIX.length - 1);
    try {
      await files(ctx, async () => {
        fellThrough = true;
      });
    } finally {
      ctx.path = path;
    }
    if (fellThrough) await next();
  };
}
