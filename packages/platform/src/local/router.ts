import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Transform, Writable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { PlatformError } from '../manifest/errors';
import { logTime, type LogRecord } from './logs';
import { accessLine } from './router-access';
import { hasOneHost, pickRequestId, setForwardedHeaders, toOriginForm } from './router-headers';
import { routerLimits, type RouterLimits } from './router-settings';

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
  /** A route on the internal domain: reached only through its own internal listener (listenInternal), never the public one. */
  internal?: boolean;
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
  /** Beat the ROUTER_* environment variables (router-settings.ts). */
  limits?: Partial<RouterLimits>;
  /** Where the ROUTER_* variables are read; default process.env. */
  env?: NodeJS.ProcessEnv;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
/** Errors after which another instance may be tried: for any method when the connection never opened, for bodiless (idempotent) ones also when it broke. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'EADDRNOTAVAIL']);
/** UND_ERR_SOCKET: undici's "other side closed" (the instance closed the connection under the request). */
const RETRYABLE = new Set([...NEVER_CONNECTED, 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
/**
 * Headers of one hop, never forwarded (RFC 9110 7.6.1), plus Expect: Node's server has
 * answered 100 Continue already, and the body comes with the request.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect']);
/** Request bodies up to this size are kept, so a refused request can be sent again. */
const REPLAYABLE_BODY_BYTES = 1024 * 1024;
/** After a 413, this much more of the body is read and dropped so the client can read the answer, then the connection is closed. */
const LINGER_BYTES = 256 * 1024;
/** The socket's response in flight, for a timeout that Node reports on the socket only. */
const RESPONSE = Symbol('response');

/**
 * The space's router (Cloud Foundry's gorouter, in small): routes by host and the longest
 * matching path prefix, round-robins over healthy instances, sets X-Request-Id and the
 * X-Forwarded-* it owns (router-headers.ts), streams responses as they come (Server-Sent
 * Events included), closes either side of a request when the other goes, bounds the
 * time and size of requests (router-settings.ts), and writes an `[RTR/0]` access line per
 * request (router-access.ts). The proxying itself is undici's: a keep-alive Pool per
 * instance (bench/router measured it ahead of http-proxy, http-proxy-3 and node:http).
 */
export class Router {
  readonly server: Server;
  readonly limits: RouterLimits;
  /** One connection pool per instance port (poolFor); dropped when the instance leaves rotation (forget). */
  private readonly pools = new Map<number, Pool>();
  private table = new Map<string, RouteTarget[]>();
  private internalTable = new Map<string, RouteTarget>();
  /** One listener per internal route's host: what the host resolves to inside the space. */
  private readonly internalServers = new Map<string, { server: Server; port: number }>();
  private readonly turn = new Map<string, number>();
  private readonly inflight = new Map<string, number>();
  /**
   * Requests holding a pooled connection to an instance now, by port, streams included
   * (undici sends one request at a time on a connection): at backendMaxConnections the
   * instance takes no more, and a request it would have queued for is answered 503.
   */
  private readonly connectionsInUse = new Map<number, number>();
  /** Bytes booked by request bodies read whole now (keepBody), against maxBufferedBodyBytes. */
  private bufferedBodyBytes = 0;
  private readonly idleWaiters = new Map<string, Array<() => void>>();
  /** Node's limits, the same for the public listener and the internal ones. */
  private readonly serverOptions: ServerOptions;
  port = 0;

  constructor(private readonly options: RouterOptions) {
    this.limits = routerLimits(options.env, options.limits);
    const { maxHeaderBytes, headersTimeoutMs, requestTimeoutMs } = this.limits;
    this.setRoutes(options.routes);
    // Node checks the header and request timeouts of open requests every interval, at no cost per request.
    const connectionsCheckingInterval = Math.max(10, Math.min(30_000, Math.floor(headersTimeoutMs / 4)));
    this.serverOptions = {
      maxHeaderSize: maxHeaderBytes,
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      connectionsCheckingInterval,
    };
    this.server = this.createListener((req, res) => this.handle(req, res));
  }

  private createListener(handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
    const server = createServer(this.serverOptions, handler);
    // Clients' idle connections stay open a while; the router is never in a hurry to close.
    server.keepAliveTimeout = 90_000;
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => this.clientError(error, socket));
    // Node answers an Expect other than 100-continue with a bare 417 unless someone listens.
    server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
      res.setHeader('connection', 'close');
      this.answer(res, 417, 'expectation_failed', 'Only "Expect: 100-continue" is understood.', randomUUID());
    });
    // CONNECT asks for a tunnel, which a router of HTTP routes does not make.
    server.on('connect', (_req: IncomingMessage, socket: Duplex) =>
      this.refuse(socket, 400, 'bad_request', 'CONNECT is not routed: the request target must be a path.'),
    );
    return server;
  }

  setRoutes(routes: RouteTarget[], defaultHost = this.options.defaultHost): void {
    this.options.defaultHost = defaultHost;
    const table = new Map<string, RouteTarget[]>();
    const internalTable = new Map<string, RouteTarget>();
    for (const route of routes) {
      if (route.internal) internalTable.set(route.host, route);
      else table.set(route.host, [...(table.get(route.host) ?? []), route]);
    }
    for (const list of table.values()) list.sort((a, b) => b.path.length - a.path.length);
    this.table = table;
    this.internalTable = internalTable;
  }

  /**
   * Cloud Foundry's container network, in small: every internal route's host gets a
   * listener on 127.0.0.1 (where the host "resolves" in this space; environment.ts writes
   * that address into the env of apps that name the host). Requests there go straight to
   * the app's instances, round-robin, with no X-Forwarded-* headers and no access line,
   * as container-to-container traffic never passes gorouter. A listener opened before its
   * route is set (a push adding one) answers 404 until setRoutes. Answers host to port.
   */
  async listenInternal(hosts: Iterable<string>): Promise<Map<string, number>> {
    for (const host of hosts) {
      if (this.internalServers.has(host)) continue;
      const server = this.createListener((req, res) => this.handle(req, res, host));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      this.internalServers.set(host, { server, port: (server.address() as AddressInfo).port });
    }
    return new Map([...this.internalServers].map(([host, { port }]) => [host, port]));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new PlatformError(
                `port ${this.options.port} is already in use (is this space already running? see scripts/status; or set ROUTER_PORT)`,
              )
            : error,
        ),
      );
      this.server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const address = this.server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : this.options.port;
    return this.port;
  }

  /** Connections to instances carrying a request now (idle pooled ones not counted). */
  upstreamSockets(): number {
    let count = 0;
    for (const pool of this.pools.values()) count += pool.stats.connected - pool.stats.free;
    return count;
  }

  /**
   * The instance's pool: keep-alive connections, at most backendMaxConnections, each closed
   * by the router once idle for backendIdleTimeoutMs, whatever keep-alive the app offers
   * (the router must be the side that closes, never the app under a request). No timeout
   * on the answer: an event stream is one answer that lasts.
   */
  private poolFor(port: number): Pool {
    let pool = this.pools.get(port);
    if (!pool) {
      const idle = this.limits.backendIdleTimeoutMs;
      pool = new Pool(`http://127.0.0.1:${port}`, {
        connections: this.limits.backendMaxConnections,
        keepAliveTimeout: idle,
        keepAliveMaxTimeout: idle,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      this.pools.set(port, pool);
    }
    return pool;
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
    const pool = this.pools.get(port);
    if (!pool) return;
    this.pools.delete(port);
    // Idle connections close now; requests in flight (an event stream) finish on theirs.
    void pool.close().catch(() => undefined);
  }

  /** Resolves once no request is on its way to or inside the instance. */
  waitIdle(id: string): Promise<void> {
    if ((this.inflight.get(id) ?? 0) === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.set(id, [...(this.idleWaiters.get(id) ?? []), resolve]));
  }

  /** Stops taking new requests on every listener (requests in flight go on). */
  stopListening(): void {
    this.server.close();
    for (const { server } of this.internalServers.values()) server.close();
  }

  async close(): Promise<void> {
    const servers = [this.server, ...[...this.internalServers.values()].map((entry) => entry.server)];
    const closed = Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    for (const server of servers) server.closeAllConnections();
    await closed;
    await Promise.all([...this.pools.values()].map((pool) => pool.destroy().catch(() => undefined)));
    this.pools.clear();
  }

  match(hostHeader: string | undefined, url: string | undefined, internalHost?: string): RouteTarget | undefined {
    if (internalHost !== undefined) return this.internalTable.get(internalHost);
    let host = (hostHeader ?? '').toLowerCase().replace(/:\d+$/, '');
    if (LOCAL_HOSTS.has(host) || host === '') host = this.options.defaultHost;
    const path = (url ?? '/').split('?')[0] ?? '/';
    return this.table.get(host)?.find((route) => route.path === '' || path === route.path || path.startsWith(`${route.path}/`));
  }

  /** A request on the public listener, or (internalHost) on an internal route's own. */
  private handle(req: IncomingMessage, res: ServerResponse, internalHost?: string): void {
    const started = performance.now();
    const requestId = pickRequestId(req.headers);
    req.headers['x-request-id'] = requestId;
    const routable = toOriginForm(req);
    const route = routable ? this.match(req.headers.host, req.url, internalHost) : undefined;
    const tracked = res as TrackedResponse;
    tracked.requestId = requestId;
    // Kept now: once a body stream is destroyed, the request may no longer have its socket.
    tracked.peer = `${req.socket.remoteAddress ?? '-'}:${req.socket.remotePort ?? '-'}`;
    (req.socket as TaggedSocket)[RESPONSE] = tracked;
    res.once('close', () => {
      tracked.release?.(); // the last attempt's; each earlier one was released when it failed
      // The client went before the whole answer: close the app's side too (a stream would stay open for ever).
      if (!res.writableFinished) tracked.upstream?.destroy();
      if (internalHost === undefined) this.access(req, tracked, route, requestId, started);
    });
    if (!routable) {
      this.answer(
        res,
        400,
        'bad_request',
        'The request target must be a path (or an absolute http URL); "*" and host:port are not routed.',
        requestId,
      );
      return;
    }
    if (!hasOneHost(req)) {
      this.answer(res, 400, 'bad_request', 'The request has more than one Host header.', requestId);
      return;
    }
    if (!route) {
      this.answer(res, 404, 'unknown_route', `Requested route ('${requestedRoute(req)}') does not exist.`, requestId);
      return;
    }
    if (internalHost === undefined) setForwardedHeaders(req);
    const chunked = req.headers['transfer-encoding'] !== undefined;
    const length = chunked ? Number.NaN : Number(req.headers['content-length'] ?? 0);
    const { maxBodyBytes } = this.limits;
    if (length > maxBodyBytes) {
      this.tooLarge(req, tracked);
      return;
    }
    if (length === 0) {
      tracked.replayable = true; // no body: nothing to send again
      this.forward(req, tracked, route, requestId, new Set());
      return;
    }
    // A body kept whole holds its declared length, or for a chunked one the most it may be.
    const large = length > REPLAYABLE_BODY_BYTES || (chunked && maxBodyBytes > REPLAYABLE_BODY_BYTES);
    if (large || !this.keepBody(chunked ? maxBodyBytes : length, req, tracked)) {
      // A large body, or one past the budget of bodies kept whole (clients that send most of a
      // body and stall must not pile up the router's memory), streams through as it comes and
      // is not retried, counted on the way. The proxy gets the counter, never the request
      // itself: it destroys the stream it was given when the app fails or goes, and the
      // request must stay the router's to answer.
      tracked.stream = req.pipe(this.counter(req, tracked));
      this.forward(req, tracked, route, requestId, new Set());
      return;
    }
    // A small body is read first, so the request can go to another instance if one refuses it.
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
      else {
        req.off('data', onData);
        this.tooLarge(req, tracked);
      }
    };
    req.on('data', onData);
    req.once('end', () => {
      if (size > maxBodyBytes) return;
      tracked.body = Buffer.concat(chunks);
      tracked.replayable = true;
      this.forward(req, tracked, route, requestId, new Set());
    });
    req.once('error', () => res.destroy());
  }

  /**
   * Books `bytes` of the budget of bodies being read whole, until the body is read (or its
   * request or response goes: the request's 'close' comes on either, and on Node 22 a
   * response queued behind another on its connection never closes); false when the budget
   * cannot take them.
   */
  private keepBody(bytes: number, req: IncomingMessage, res: TrackedResponse): boolean {
    if (this.bufferedBodyBytes + bytes > this.limits.maxBufferedBodyBytes) return false;
    this.bufferedBodyBytes += bytes;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.bufferedBodyBytes -= bytes;
    };
    req.once('close', release);
    res.once('close', release);
    return true;
  }

  /** Counts a chunked body streaming through; past the limit the app's request is cut and the client gets 413 (when nothing was answered yet). */
  private counter(req: IncomingMessage, res: TrackedResponse): Transform {
    let size = 0;
    const limit = this.limits.maxBodyBytes;
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        size += chunk.length;
        if (size <= limit) {
          done(null, chunk);
          return;
        }
        res.upstream?.destroy();
        req.unpipe();
        this.tooLarge(req, res);
        done();
      },
    });
  }

  /**
   * 413 for a body over the limit. The client may still be sending it: up to LINGER_BYTES
   * more are read and dropped (closing with unread bytes would reset the connection, and
   * the client could lose the answer), then the connection is closed; a body that ends
   * before leaves a keep-alive connection as it was.
   */
  private tooLarge(req: IncomingMessage, res: TrackedResponse): void {
    res.routerError = 'payload_too_large';
    let dropped = 0;
    req.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > LINGER_BYTES) req.socket?.destroy();
    });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    this.answer(
      res,
      413,
      'payload_too_large',
      `The request body is over the router's limit of ${this.limits.maxBodyBytes} bytes.`,
      res.requestId ?? randomUUID(),
    );
  }

  /**
   * A request Node refused before (or while) it reached handle(): headers over the limit
   * (431), headers or body too slow (408), a malformed request (400). Answered in the apps'
   * JSON error shape, then the connection is closed.
   */
  private clientError(error: NodeJS.ErrnoException, socket: Duplex): void {
    const [status, code, message] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request did not arrive in time.']
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'headers_too_large', `The request headers are over the router's limit of ${this.limits.maxHeaderBytes} bytes.`]
          : [400, 'bad_request', 'The request could not be parsed.'];
    // A client that reset its connection reads no answer, nor one whose upload ended in mid-body
    // (an EOF with a request under way); one that half-closed after part of its headers still may.
    const clientGone = !socket.writable || error.code === 'ECONNRESET';
    const tagged = (socket as TaggedSocket)[RESPONSE];
    // The request handle() has, while its answer or its body is still on the way (after a 413, the rest of the body).
    const res = tagged && !(tagged.writableEnded && tagged.req.complete) ? tagged : undefined;
    if (res) {
      // Let go of the app's side; answer only if nothing was answered yet (never a second answer on
      // one request): a timeout, or a body the parser refused (a malformed chunk).
      res.upstream?.destroy();
      if (!res.headersSent && !clientGone && error.code !== 'HPE_INVALID_EOF_STATE') {
        res.setHeader('connection', 'close');
        this.answer(res, status, code, message, res.requestId ?? randomUUID());
        res.once('finish', () => socket.destroy());
      } else socket.destroy();
      return;
    }
    if (clientGone) {
      socket.destroy();
      return;
    }
    this.refuse(socket, status, code, message);
  }

  /** An answer written on the socket itself (no request object to answer with), then the connection is closed. */
  private refuse(socket: Duplex, status: number, code: string, message: string): void {
    const body = JSON.stringify({ error: { code, message, request_id: randomUUID() } });
    const head = `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? ''}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-cf-routererror: ${code}\r\nconnection: close\r\n\r\n`;
    socket.end(head + body, () => socket.destroy());
  }

  private forward(req: IncomingMessage, res: TrackedResponse, route: RouteTarget, requestId: string, tried: Set<string>): void {
    if (res.destroyed || res.writableEnded) return; // the client went, or the router answered already
    const backend = this.pick(route.app, tried);
    if (backend === 'full') {
      // As gorouter at max_conns: an answer now, not a wait for a connection a stream may hold for hours.
      this.answer(
        res,
        503,
        'connection_limit_reached',
        `Requested route ('${requestedRoute(req)}') has reached the connection limit.`,
        requestId,
      );
      return;
    }
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
    const freeConnection = this.occupyConnection(backend.port);
    const abort = new AbortController();
    res.upstream = { destroy: () => abort.abort() };
    // A body read whole (it can be sent again), one counted on its way, none, or the client's as it comes.
    const body = res.body ?? res.stream ?? null;
    const options: Dispatcher.RequestOptions = {
      path: req.url ?? '/',
      method: req.method as Dispatcher.HttpMethod,
      headers: endToEndHeaders(req.headers),
      body,
      signal: abort.signal,
    };
    this.poolFor(backend.port).stream(
      options,
      ({ statusCode, headers }) => this.answerFromApp(res, statusCode, headers),
      (error: (Error & { code?: string }) | null) => {
        release();
        freeConnection();
        if (!error) return;
        // The client went, the router answered (413, 408), or the app's answer was on its way
        // (then undici has closed the client's side too): there is nothing more to do.
        const clientGone = res.destroyed || req.socket.destroyed;
        if (clientGone || res.writableEnded || res.answered) {
          if (res.answered && !res.writableEnded) res.destroy();
          return;
        }
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
      },
    );
  }

  /** The app's status and headers, sent on to the client; undici then writes the body into `res` (with backpressure) and ends it. */
  private answerFromApp(res: TrackedResponse, statusCode: number, headers: IncomingHttpHeaders): Writable {
    res.answered = true;
    // A stream never ends by itself: it must not hold up a drain (its app ends it on SIGTERM).
    if (String(headers['content-type'] ?? '').startsWith('text/event-stream')) res.release?.();
    // The length the app declared (counting chunks would cost a listener call per chunk).
    const length = headers['content-length'];
    if (length !== undefined) res.bytes = Number(length);
    res.writeHead(statusCode, endToEndHeaders(headers));
    // No body can follow (a 304 or 204 may still declare a length, which undici then finds
    // unmet): the answer is complete, and whatever undici says next goes nowhere.
    if (statusCode === 204 || statusCode === 304) {
      res.end();
      return new Writable({ write: (_chunk, _encoding, done) => done() });
    }
    return res;
  }

  /** The next instance round-robin, leaving out those tried and those at backendMaxConnections; 'full' when only those are left. */
  private pick(app: string, tried: Set<string>): Backend | 'full' | undefined {
    const all = this.options.pool(app);
    const untried = tried.size === 0 ? all : all.filter((backend) => !tried.has(backend.id));
    if (untried.length === 0) return undefined;
    const max = this.limits.backendMaxConnections;
    const pool = untried.filter((backend) => (this.connectionsInUse.get(backend.port) ?? 0) < max);
    if (pool.length === 0) return 'full';
    const turn = (this.turn.get(app) ?? 0) + 1;
    this.turn.set(app, turn);
    return pool[turn % pool.length];
  }

  /** Counts a request on a connection to the instance at `port`; the returned function uncounts it once. */
  private occupyConnection(port: number): () => void {
    return countOnce(this.connectionsInUse, port);
  }

  /** Counts a request against an instance; the returned function uncounts it once. */
  private track(id: string): () => void {
    return countOnce(this.inflight, id, () => {
      for (const resolve of this.idleWaiters.get(id) ?? []) resolve();
      this.idleWaiters.delete(id);
    });
  }

  private answer(res: ServerResponse, status: number, code: string, message: string, requestId: string): void {
    (res as TrackedResponse).routerError ??= code;
    const body = JSON.stringify({ error: { code, message, request_id: requestId } });
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-request-id': requestId,
      'x-cf-routererror': code,
    });
    res.end(body);
  }

  private access(req: IncomingMessage, res: TrackedResponse, route: RouteTarget | undefined, requestId: string, started: number): void {
    const seconds = (performance.now() - started) / 1000;
    const status = res.headersSent ? res.statusCode : 499;
    const time = logTime();
    const line = accessLine(
      req,
      { status, bytes: res.bytes, backend: res.backend, peer: res.peer ?? '-', requestId, seconds, routerError: res.routerError },
      time,
    );
    this.options.log({ time, app: route?.app ?? '-', source: 'RTR/0', stream: 'OUT', line });
  }
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

type TaggedSocket = Duplex & { [RESPONSE]?: TrackedResponse };

type TrackedResponse = ServerResponse & {
  requestId?: string;
  /** Aborts the request to the app now: called when the client goes. */
  upstream?: { destroy(): void };
  /** The app's answer has begun to come. */
  answered?: boolean;
  /** A chunked body on its way through the limit's counter. */
  stream?: Transform;
  backend?: Backend;
  /** The client's address and port, for the access line. */
  peer?: string;
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

/** Headers as the next hop gets them, either way through the router: every end-to-end header, none of this hop's. */
function endToEndHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  return kept;
}

/** Adds one to `counts[key]`; the returned function takes it off once, dropping the key (and calling `atZero`) when none are left. */
function countOnce<K>(counts: Map<K, number>, key: K, atZero?: () => void): () => void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const left = (counts.get(key) ?? 1) - 1;
    if (left > 0) {
      counts.set(key, left);
      return;
    }
    counts.delete(key);
    atZero?.();
  };
}

/** The route a request asked for, as gorouter's messages name it: host and path, never the query string. */
function requestedRoute(req: IncomingMessage): string {
  return `${req.headers.host ?? ''}${(req.url ?? '').split('?')[0]}`;
}
