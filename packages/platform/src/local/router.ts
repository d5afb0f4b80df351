import { randomUUID } from 'node:crypto';
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import httpProxy from 'http-proxy';
import { PlatformError } from '../manifest/errors';
import { logTime, type LogRecord } from './logs';

/** A routed instance as the router sees it. */
export interface Backend {
  id: string;
  app: string;
  index: number;
  port: number;
}

export interface RouteTarget {
  host: string;
  /** "" or "/api/users". */
  path: string;
  app: string;
}

export interface RouterOptions {
  /** 0 for a free port. */
  port: number;
  host?: string;
  routes: RouteTarget[];
  /** Requests for localhost / 127.0.0.1 go to this host's routes. */
  defaultHost: string;
  /** The instances of an app that may take requests now (ready, not draining). */
  pool: (app: string) => Backend[];
  log: (record: LogRecord) => void;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
/** Errors after which another instance may be tried: for any method when the connection never opened, for bodiless (idempotent) ones also when it broke. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'EADDRNOTAVAIL']);
const RETRYABLE = new Set([...NEVER_CONNECTED, 'ECONNRESET', 'EPIPE']);
/** Pooled connections idle through two sweeps (30 to 60 s) are closed: well before the apps' 95 s keep-alive. */
const IDLE_SWEEP_MS = 30_000;
/** Request bodies up to this size (with a Content-Length) are kept, so a refused request can be sent again. */
const REPLAYABLE_BODY_BYTES = 1024 * 1024;

/**
 * The space's router (Cloud Foundry's gorouter, in small): routes by host and the longest
 * matching path prefix, round-robins over healthy instances, forwards X-Request-Id (made
 * when absent) and X-Forwarded-*, streams responses as they come (Server-Sent Events
 * included), and writes an `[RTR/0]` access line per request. The proxying itself is
 * http-proxy's.
 */
export class Router {
  readonly server: Server;
  private readonly proxy = httpProxy.createProxyServer({ changeOrigin: false, ws: false });
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 64 });
  /** Idle connections seen at the last sweep (see sweepIdle). */
  private idleAtLastSweep = new WeakSet<object>();
  private readonly sweeper = setInterval(() => this.sweepIdle(), IDLE_SWEEP_MS).unref();
  private table = new Map<string, RouteTarget[]>();
  private readonly turn = new Map<string, number>();
  private readonly inflight = new Map<string, number>();
  private readonly idleWaiters = new Map<string, Array<() => void>>();
  port = 0;

  constructor(private readonly options: RouterOptions) {
    this.setRoutes(options.routes);
    this.server = createServer((req, res) => this.handle(req, res));
    // Clients' idle connections stay open a while; the router is never in a hurry to close.
    this.server.keepAliveTimeout = 90_000;
    this.server.headersTimeout = 91_000;
    this.server.requestTimeout = 0;
    this.proxy.on('proxyRes', (proxyRes, _req, res) => {
      // A stream never ends by itself: it must not hold up a drain (its app ends it on SIGTERM).
      if (String(proxyRes.headers['content-type'] ?? '').startsWith('text/event-stream')) (res as TrackedResponse).release?.();
      // The length the app declared (counting chunks would cost a listener call per chunk).
      const length = proxyRes.headers['content-length'];
      if (length !== undefined) (res as TrackedResponse).bytes = Number(length);
    });
  }

  setRoutes(routes: RouteTarget[], defaultHost = this.options.defaultHost): void {
    this.options.defaultHost = defaultHost;
    const table = new Map<string, RouteTarget[]>();
    for (const route of routes) table.set(route.host, [...(table.get(route.host) ?? []), route]);
    for (const list of table.values()) list.sort((a, b) => b.path.length - a.path.length);
    this.table = table;
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new PlatformError(`port ${this.options.port} is already in use (is this space already running? see scripts/status; or set ROUTER_PORT)`) : error),
      );
      this.server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const address = this.server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : this.options.port;
    return this.port;
  }

  /**
   * Closes the pooled connections that were already idle at the last sweep. The router is
   * so the side that closes an idle connection, never the app (whose keep-alive lasts
   * 95 s): it never writes a request to a socket the app is closing at that moment. A sweep
   * costs nothing per request, unlike a socket timeout.
   */
  sweepIdle(): void {
    const idle = new WeakSet<object>();
    for (const sockets of Object.values(this.agent.freeSockets)) {
      for (const socket of sockets ?? []) {
        if (this.idleAtLastSweep.has(socket)) socket.destroy();
        else idle.add(socket);
      }
    }
    this.idleAtLastSweep = idle;
  }

  /** Requests on their way to or inside the instance now. */
  inFlight(id: string): number {
    return this.inflight.get(id) ?? 0;
  }

  /**
   * Drops the idle keep-alive connections to an instance's port, so that nothing is
   * ever sent down one of them again (the instance is out of rotation, or gone).
   */
  forget(port: number): void {
    const name = this.agent.getName({ host: '127.0.0.1', port });
    for (const socket of this.agent.freeSockets[name] ?? []) socket.destroy();
  }

  /** Resolves once no request is on its way to or inside the instance. */
  waitIdle(id: string): Promise<void> {
    if ((this.inflight.get(id) ?? 0) === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.set(id, [...(this.idleWaiters.get(id) ?? []), resolve]));
  }

  async close(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    this.server.closeAllConnections();
    await closed;
    clearInterval(this.sweeper);
    this.proxy.close();
    this.agent.destroy();
  }

  match(hostHeader: string | undefined, url: string | undefined): RouteTarget | undefined {
    let host = (hostHeader ?? '').toLowerCase().replace(/:\d+$/, '');
    if (LOCAL_HOSTS.has(host) || host === '') host = this.options.defaultHost;
    const path = (url ?? '/').split('?')[0] ?? '/';
    return this.table.get(host)?.find((route) => route.path === '' || path === route.path || path.startsWith(`${route.path}/`));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && header !== '' && header.length <= 200 ? header : randomUUID();
    req.headers['x-request-id'] = requestId;
    const route = this.match(req.headers.host, req.url);
    const tracked = res as TrackedResponse;
    res.once('close', () => {
      tracked.release?.(); // the last attempt's; each earlier one was released when it failed
      this.access(req, tracked, route, requestId, started);
    });
    if (!route) {
      this.answer(res, 404, 'unknown_route', `Requested route ('${req.headers.host ?? ''}${(req.url ?? '').split('?')[0]}') does not exist.`, requestId);
      return;
    }
    addForwardedHeaders(req);
    const length = req.headers['transfer-encoding'] === undefined ? Number(req.headers['content-length'] ?? 0) : Number.NaN;
    if (!(length > 0 && length <= REPLAYABLE_BODY_BYTES)) {
      // No body (so nothing to send again), or one that streams through as it comes.
      tracked.replayable = length === 0;
      this.forward(req, tracked, route, requestId, new Set());
      return;
    }
    // A small body is read first, so the request can go to another instance if one refuses it.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      tracked.body = Buffer.concat(chunks);
      tracked.replayable = true;
      this.forward(req, tracked, route, requestId, new Set());
    });
    req.once('error', () => res.destroy());
  }

  private forward(req: IncomingMessage, res: TrackedResponse, route: RouteTarget, requestId: string, tried: Set<string>): void {
    const backend = this.pick(route.app, tried);
    if (!backend && tried.size > 0) {
      res.routerError = `backend_unavailable ${res.lastError ?? ''}`.trim();
      this.answer(res, 502, 'backend_unavailable', `No instance of the app ${route.app} answered.`, requestId);
      return;
    }
    if (!backend) {
      this.answer(res, 503, 'no_available_endpoints', `Requested route has no available endpoints (app ${route.app}).`, requestId);
      return;
    }
    res.backend = backend;
    const release = this.track(backend.id);
    res.release = release;
    const buffer = res.body ? Readable.from([res.body]) : undefined;
    this.proxy.web(req, res, { target: { host: '127.0.0.1', port: backend.port }, agent: this.agent, buffer }, (error: NodeJS.ErrnoException) => {
      release();
      tried.add(backend.id);
      const code = error.code ?? error.message;
      res.lastError = code;
      // As gorouter does: a connection that never opened reached no app, so any request may
      // go to another instance (when its body can be sent again); one that broke on the way
      // (a killed instance) is tried again only for methods that are safe to repeat.
      const idempotent = req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS';
      const retry = NEVER_CONNECTED.has(code) ? res.replayable === true : idempotent && RETRYABLE.has(code);
      if (!res.headersSent && retry && tried.size < 3) {
        this.forward(req, res, route, requestId, tried);
        return;
      }
      res.routerError = `backend_unavailable ${code}`;
      if (!res.headersSent) this.answer(res, 502, 'backend_unavailable', `The app ${route.app} did not answer (${code}).`, requestId);
      else res.destroy();
    });
  }

  private pick(app: string, tried: Set<string>): Backend | undefined {
    const all = this.options.pool(app);
    const pool = tried.size === 0 ? all : all.filter((backend) => !tried.has(backend.id));
    if (pool.length === 0) return undefined;
    const turn = (this.turn.get(app) ?? 0) + 1;
    this.turn.set(app, turn);
    return pool[turn % pool.length];
  }

  /** Counts a request against an instance; the returned function uncounts it once. */
  private track(id: string): () => void {
    this.inflight.set(id, (this.inflight.get(id) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.inflight.get(id) ?? 1) - 1;
      if (left > 0) {
        this.inflight.set(id, left);
        return;
      }
      this.inflight.delete(id);
      for (const resolve of this.idleWaiters.get(id) ?? []) resolve();
      this.idleWaiters.delete(id);
    };
  }

  private answer(res: ServerResponse, status: number, code: string, message: string, requestId: string): void {
    (res as TrackedResponse).routerError ??= code;
    const body = JSON.stringify({ error: { code, message, request_id: requestId } });
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-request-id': requestId, 'x-cf-routererror': code });
    res.end(body);
  }

  /** gorouter's access line, shortened: what `cf logs` shows as [RTR/0]. */
  private access(req: IncomingMessage, res: TrackedResponse, route: RouteTarget | undefined, requestId: string, started: number): void {
    const seconds = (performance.now() - started) / 1000;
    const status = res.headersSent ? res.statusCode : 499;
    const routerError = res.routerError ? ` x_cf_routererror:"${res.routerError}"` : '';
    const backend = res.backend ? `"127.0.0.1:${res.backend.port}"` : '"-"';
    const now = logTime();
    const line =
      `${req.headers.host ?? '-'} - [${now}] "${req.method} ${req.url} HTTP/${req.httpVersion}" ${status} ` +
      `${req.headers['content-length'] ?? 0} ${res.bytes ?? '-'} "${req.headers.referer ?? '-'}" "${req.headers['user-agent'] ?? '-'}" ` +
      `"${req.socket.remoteAddress ?? '-'}:${req.socket.remotePort ?? '-'}" ${backend} x_forwarded_for:"${req.headers['x-forwarded-for'] ?? '-'}" ` +
      `x_forwarded_proto:"${req.headers['x-forwarded-proto'] ?? 'http'}" response_time:${seconds.toFixed(6)} app_index:"${res.backend?.index ?? '-'}" x_request_id:"${requestId}"${routerError}`;
    this.options.log({ time: now, app: route?.app ?? '-', source: 'RTR/0', stream: 'OUT', line });
  }
}

/**
 * X-Forwarded-For, -Port and -Proto appended to (-Host set when absent), as http-proxy's
 * `xfwd` option does, but here, once per request: a request sent again to another
 * instance then carries the same headers, with nothing to undo.
 */
function addForwardedHeaders(req: IncomingMessage): void {
  const headers = req.headers;
  const append = (name: string, value: string): void => {
    const existing = headers[name];
    headers[name] = existing ? `${String(existing)},${value}` : value;
  };
  append('x-forwarded-for', req.socket.remoteAddress ?? '');
  append('x-forwarded-port', /:(\d+)$/.exec(headers.host ?? '')?.[1] ?? '80');
  append('x-forwarded-proto', 'http'); // the router itself listens on plain HTTP
  headers['x-forwarded-host'] ??= headers.host ?? '';
}

type TrackedResponse = ServerResponse & {
  backend?: Backend;
  bytes?: number;
  release?: () => void;
  /** The request body, when small enough to be sent again. */
  body?: Buffer;
  /** The request can be sent again as it was (no body, or `body`). */
  replayable?: boolean;
  /** The last error an instance gave (ECONNREFUSED...). */
  lastError?: string;
  /** Why the router answered for the app: gorouter's x_cf_routererror. */
  routerError?: string;
};
