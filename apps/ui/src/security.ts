import type { Middleware } from 'koa';

/**
 * The page's Content-Security-Policy. The kit's default is made for JSON responses
 * (`default-src 'none'`: load nothing); a page needs its own: everything from this origin only, no inline
 * script or style, no plugins, no framing, and Trusted Types so that even a future
 * `innerHTML = string` throws in browsers that enforce them instead of parsing HTML.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  // The APIs and the event stream are on this same origin (path routes).
  "connect-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/**
 * The page's security headers on every response of this app, after the kit has set its
 * API ones: the page's CSP in place of the kit's, and the headers that only matter for a
 * rendered page: no referrer leaks to other sites, and assets that other sites cannot embed.
 * Behind https (X-Forwarded-Proto, trusted through app.proxy) the CSP also upgrades any
 * stray http: request; over plain http on a laptop that directive would break the page.
 */
export function pageSecurityHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set('Content-Security-Policy', ctx.secure ? `${CONTENT_SECURITY_POLICY}; upgrade-insecure-requests` : CONTENT_SECURITY_POLICY);
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    await next();
  };
}
