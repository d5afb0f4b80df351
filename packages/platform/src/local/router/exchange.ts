import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex, Transform } from 'node:stream';
import type { Backend, RouteTarget } from './types';

/**
 * One request through the router and everything the steps learn about it, passed from
 * step to step (Koa's context, in small): nothing is hung on the request or the response.
 * Every field is set here, so all exchanges share one shape.
 */
export class Exchange {
  readonly started = performance.now();
  /** The client's address and port, for the access line; kept now: a destroyed body stream may lose its socket. */
  readonly peer: string;
  route: RouteTarget | undefined = undefined;
  /** The instance the last try went to. */
  backend: Backend | undefined = undefined;
  /** Instances tried, by id. */
  readonly tried = new Set<string>();
  /** The request body, when small enough to be read whole and sent again. */
  body: Buffer | undefined = undefined;
  /** A body streaming through the limit's counter (not sent again). */
  stream: Transform | undefined = undefined;
  /** The request can be sent again as it was (no body, or `body`). */
  replayable = false;
  /** The try in flight to the app (upstream.ts): aborted when the client goes, or the router answers instead. */
  upstream: AbortController | undefined = undefined;
  /** Takes the try in flight off its instance's count of requests (once). */
  release: (() => void) | undefined = undefined;
  /** Takes the try in flight off its instance's count of connections in use (once). */
  freeConnection: (() => void) | undefined = undefined;
  /** The app's answer has begun to come. */
  answered = false;
  /** The answer's declared length, when the app declared one. */
  bytes: number | undefined = undefined;
  /** The last error an instance gave (ECONNREFUSED...). */
  lastError: string | undefined = undefined;
  /** Why the router answered for the app: gorouter's x_cf_routererror, with a cause when there is one. */
  routerError: string | undefined = undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly requestId: string,
    /** Set when the request came on an internal route's listener. */
    readonly internalHost: string | undefined,
  ) {
    this.peer = `${req.socket.remoteAddress ?? '-'}:${req.socket.remotePort ?? '-'}`;
    onSocket.set(req.socket, this);
  }

  /** Aborts the try in flight to the app, if any. */
  cancelUpstream(): void {
    this.upstream?.abort();
  }

  /** The client went, or an answer was sent whole: nothing more may be written. */
  get finished(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }
}

/**
 * The socket's latest exchange: Node reports a request timeout or a malformed body on the
 * socket only (clientError), and the answer must then go through that exchange.
 */
const onSocket = new WeakMap<Duplex, Exchange>();

export function exchangeOn(socket: Duplex): Exchange | undefined {
  return onSocket.get(socket);
}
