import helmet from 'helmet';
import type { Middleware } from 'koa';

/**
 * Helmet's default security headers (CSP, HSTS, nosniff, frame options...), computed once
 * at start instead of running helmet's middleware on every request: they never depend on
 * the request, and setting a fixed object is several times cheaper.
 */
export function securityHeaders(): Middleware {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name];
    },
  };
  let done = false;
  helmet()({} as never, response as never, () => {
    done = true;
  });
  // helmet's middleware is synchronous; if that ever changes, fail at start, not per request.
  if (!done) throw new Error('helmet did not finish synchronously');
  return async (ctx, next) => {
    ctx.set(headers);
    await next();
  };
}
