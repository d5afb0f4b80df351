/**
 * The security headers every API response carries: the list the OWASP REST Security
 * Cheat Sheet gives for all API responses (no sniffing, no framing, and a CSP that lets a
 * JSON response load nothing; Content-Type is set by each response; HSTS: see below). The
 * headers that protect rendered HTML (Referrer-Policy, Cross-Origin-Resource-Policy...)
 * belong to an app that serves pages, which adds them with its own CSP (apps/ui).
 * A fixed list set once per response: each header is a measurable part of the kit's cost
 * per request (bench/kit).
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
];

/**
 * HTTPS only from now on: sent on responses to requests that came over HTTPS (Koa's
 * `ctx.secure`: behind a platform router, app.proxy makes that the first
 * X-Forwarded-Proto value, since the TLS ends at the router). RFC 6797 (7.2) forbids it
 * over plain HTTP, where it would mean nothing anyway.
 */
export const HSTS_HEADER = ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'] as const;
