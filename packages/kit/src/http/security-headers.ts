/**
 * The security headers every API response carries, as the OWASP REST Security Cheat
 * Sheet lists them for APIs: no sniffing, no framing, no referrer leaks, HTTPS only, and a
 * CSP that lets a JSON response load nothing. A fixed list set once per response; an app
 * that serves pages (ui) replaces the CSP with its own.
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
];
