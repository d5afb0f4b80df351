import type { IncomingHttpHeaders } from 'node:http';
import type { Writable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import type { Exchange } from './exchange';
import { endToEndHeaders } from './headers';
import type { RouterLimits } from './settings';
import type { Backend } from './types';

/** What undici reports when a try ends: null once the whole answer is through. */
export type TryError = (Error & { code?: string }) | null;

/** What becomes of a try's answer (forward.ts). */
export interface TryHandlers {
  /** The app's status and headers came: answers the stream undici writes the body into. */
  answer: (exchange: Exchange, statusCode: number, headers: IncomingHttpHeaders) => Writable;
  /** The try ended, its counts released: whole (null), or with an error. */
  ended: (exchange: Exchange, error: TryError) => void;
}

/**
 * The instances behind the router: a keep-alive connection pool per instance, picking one
 * round-robin, and the counts the space and the limits need (requests in flight per
 * instance, connections in use per instance port).
 */
export class Upstreams {
  /** One connection pool per instance port (poolFor); dropped when the instance leaves rotation (forget). */
  private readonly pools = new Map<number, Pool>();
  private readonly turn = new Map<string, number>();
  private readonly inflight = new Map<string, number>();
  /**
   * Requests holding a pooled connection to an instance now, by port, streams included
   * (undici sends one request at a time on a connection): at backendMaxConnections the
   * instance takes no more, and a request it would have queued for is answered 503.
   */
  private readonly connectionsInUse = new Map<number, number>();
  private readonly idleWaiters = new Map<string, Array<() => void>>();

  constructor(
    /** The instances of an app that may take requests now. */
    private readonly instances: (app: string) => Backend[],
    private readonly limits: Pick<RouterLimits, 'backendMaxConnections' | 'backendIdleTimeoutMs'>,
    private readonly handlers: TryHandlers,
  ) {}

  /** The next instance round-robin, leaving out those tried and those at backendMaxConnections; 'full' when only those are left. */
  pick(app: string, tried: ReadonlySet<string>): Backend | 'full' | undefined {
    const all = this.instances(app);
    const untried = tried.size === 0 ? all : all.filter((backend) => !tried.has(backend.id));
    if (untried.length === 0) return undefined;
    const max = this.limits.backendMaxConnections;
    const open = untried.filter((backend) => (this.connectionsInUse.get(backend.port) ?? 0) < max);
    if (open.length === 0) return 'full';
    const turn = (this.turn.get(app) ?? 0) + 1;
    this.turn.set(app, turn);
    return open[turn % open.length];
  }

  /**
   * Sends the exchange's request to `backend`, counted against it until the try ends. The
   * exchange rides along as undici's `opaque`, so the same two handlers serve every request
   * (no closures per request: fewer objects for the garbage collector to copy).
   */
  send(exchange: Exchange, backend: Backend): void {
    const { req } = exchange;
    exchange.backend = backend;
    exchange.release = this.track(backend.id);
    exchange.freeConnection = countOnce(this.connectionsInUse, backend.port);
    const upstream = new AbortController();
    exchange.upstream = upstream;
    const options: Dispatcher.RequestOptions<Exchange> = {
      path: req.url ?? '/',
      method: req.method as Dispatcher.HttpMethod,
      headers: endToEndHeaders(req.headers),
      // A body read whole (it can be sent again), one counted on its way, or none.
      body: exchange.body ?? exchange.stream ?? null,
      signal: upstream.signal,
      opaque: exchange,
    };
    this.poolFor(backend.port).stream(options, this.onHeaders, this.onEnd);
  }

  private readonly onHeaders = ({ statusCode, headers, opaque }: Dispatcher.StreamFactoryData<Exchange>): Writable =>
    this.handlers.answer(opaque, statusCode, headers);

  private readonly onEnd = (error: TryError, { opaque: exchange }: Dispatcher.StreamData<Exchange>): void => {
    exchange.release?.();
    exchange.freeConnection?.();
    this.handlers.ended(exchange, error);
  };

  /** Requests on their way to or inside the instance now. */
  inFlight(id: string): number {
    return this.inflight.get(id) ?? 0;
  }

  /** Resolves once no request is on its way to or inside the instance. */
  waitIdle(id: string): Promise<void> {
    if ((this.inflight.get(id) ?? 0) === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.set(id, [...(this.idleWaiters.get(id) ?? []), resolve]));
  }

  /** Connections to instances carrying a request now (idle pooled ones not counted). */
  busySockets(): number {
    let count = 0;
    for (const pool of this.pools.values()) count += pool.stats.connected - pool.stats.free;
    return count;
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

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.destroy().catch(() => undefined)));
    this.pools.clear();
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

  /** Counts a request against an instance; the returned function uncounts it once. */
  private track(id: string): () => void {
    return countOnce(this.inflight, id, () => {
      for (const resolve of this.idleWaiters.get(id) ?? []) resolve();
      this.idleWaiters.delete(id);
    });
  }
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
