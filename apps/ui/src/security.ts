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
 * The powerful browser features the page never uses, turned off for it and anything it
 * could ever embed (an empty allowlist): a script that got onto the page still cannot ask
 * for the camera, the microphone, the location or a payment. Only features Chromium knows
 * are named, so its console shows no unknown-feature warning.
 */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'camera',
  'display-capture',
  'encrypted-media',
  'fullscreen',
  'geolocation',
  'gyroscope',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'picture-in-picture',
  'publickey-credentials-get',
  'screen-wake-lock',
  'usb',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/**
 * The page's security headers on every response of this app, after the kit has set its
 * API ones: the page's CSP in place of the kit's, and the headers that only matter for a
 * rendered page: no referrer leaks to other sites, assets that other sites cannot embed, and
 * no powerful feature (Permissions-Policy). HSTS is the kit's, on every app's https answers.
 * Behind https (X-Forwarded-Proto, trusted through app.proxy) the CSP also upgrades any
 * stray http: request; over plain http on a laptop that directive would break the page.
 */
export function pageSecurityHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set('Content-Security-Policy', ctx.secure ? `${CONTENT_SECURITY_POLICY}; upgrade-insecure-requests` : CONTENT_SECURITY_POLICY);
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    ctx.set('Permissions-Policy', PERMISSIONS_POLICY);
    await next();
  };
}
