import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import serveStatic from 'koa-static';

/** Hashed asset names change with their content, so a copy never goes stale. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
export const ASSETS_PREFIX = '/assets/';

// A source map, asked for directly or as one of koa-send's precompressed siblings.
const SOURCE_MAP = /\.map(\.(br|gz))?$/;

/**
 * Serves the bundle's hashed files under /assets/ (precompressed .br/.gz siblings when the
 * client accepts them). Anything else, and any file that is not there, falls through to
 * the routes, so an unknown asset gets the kit's JSON 404. Source maps are built beside the
 * bundle but only served when `sourceMaps` is on (UI_SERVE_SOURCE_MAPS, for debugging):
 * they hand out the client's original source, comments and all.
 */
export function assets(publicDir: string, options: { sourceMaps?: boolean } = {}): Middleware {
  const sourceMaps = options.sourceMaps ?? false;
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
    if (!path.startsWith(ASSETS_PREFIX) || (!sourceMaps && SOURCE_MAP.test(path))) return next();
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
