import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/**
 * What the kit accepts as an incoming request id (packages/kit/src/http/request-id.ts,
 * Heroku's rule): 20 to 200 of [A-Za-z0-9+/=-]. The router applies the same rule and
 * sends on the id it logs, so router and app agree on one id; a test holds the two equal.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9+/=-]{20,200}$/;

/** The client's X-Request-Id (or X-Vcap-Request-Id) when it is sane, else a new one. */
export function pickRequestId(headers: IncomingMessage['headers']): string {
  const id = headers['x-request-id'];
  if (typeof id === 'string' && SANE_REQUEST_ID.test(id)) return id;
  const vcap = headers['x-vcap-request-id'];
  if (typeof vcap === 'string' && SANE_REQUEST_ID.test(vcap)) return vcap;
  return randomUUID();
}

/**
 * The forwarded headers the router owns, set once per request (a request sent again to
 * another instance then carries the same ones). -Proto, -Host and -Port describe this hop
 * and are overwritten: a client's `X-Forwarded-Proto: https` must not reach an app over
 * plain http. X-Forwarded-For gets the peer address appended, so an app that trusts only
 * the platform's hops takes the last entry (what a client wrote before it is not trusted).
 */
export function setForwardedHeaders(req: IncomingMessage): void {
  const headers = req.headers;
  const peer = req.socket.remoteAddress ?? '';
  const existing = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = existing ? `${String(existing)},${peer}` : peer;
  headers['x-forwarded-proto'] = 'http'; // the router itself listens on plain HTTP
  headers['x-forwarded-host'] = headers.host ?? '';
  // The port the client addressed (an app builds its public URLs from it), else the one it reached.
  headers['x-forwarded-port'] = /:(\d+)$/.exec(headers.host ?? '')?.[1] ?? String(req.socket.localPort ?? '');
}

/**
 * Makes the request target a path. An absolute URL (`GET http://host/path`, which a server
 * must accept, RFC 9112 3.2.2) becomes its path and query, its host taking the place of the
 * Host header. False for a target that names no resource to route (`*`, `host:port`).
 */
export function toOriginForm(req: IncomingMessage): boolean {
  const target = req.url ?? '';
  if (target.startsWith('/')) return true;
  if (!/^https?:\/\//i.test(target)) return false;
  try {
    const url = new URL(target);
    req.url = `${url.pathname}${url.search}`;
    req.headers.host = url.host;
    return true;
  } catch {
    return false;
  }
}

/**
 * True when the request names its host once at most. Node keeps the first of two Host
 * headers and drops the other, so which host the client meant cannot be told: RFC 9112
 * (3.2) has a server answer 400 to more than one.
 */
export function hasOneHost(req: IncomingMessage): boolean {
  let hosts = 0;
  const raw = req.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index];
    if (name !== undefined && name.length === 4 && name.toLowerCase() === 'host') hosts += 1;
  }
  return hosts <= 1;
}

/**
 * Headers of one hop, never forwarded (RFC 9110 7.6.1), plus Expect: Node's server has
 * answered 100 Continue already, and the body comes with the request.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect']);

/** Headers as the next hop gets them, either way through the router: every end-to-end header, none of this hop's. */
export function endToEndHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  return kept;
}

/** The route a request asked for, as gorouter's messages name it: host and path, never the query string. */
export function requestedRoute(req: IncomingMessage): string {
  return `${req.headers.host ?? ''}${(req.url ?? '').split('?')[0]}`;
}
