import type { IncomingHttpHeaders } from 'node:http';
import { Writable } from 'node:stream';
import { answer } from './answers';
import type { Exchange } from './exchange';
import { endToEndHeaders, requestedRoute } from './headers';
import { retryPolicy } from './retry';
import type { RouterLimits } from './settings';
import type { Backend, RouteTarget } from './types';
import { Upstreams, type TryError } from './upstream';

/**
 * Sends a request on to one of its app's instances and relays the answer; when a try
 * fails, decides in turn whether anything is left to do (settled), whether another
 * instance gets it (retryPolicy), or what the client is told (giveUp).
 */
export class Forwarder {
  readonly upstreams: Upstreams;

  constructor(instances: (app: string) => Backend[], limits: RouterLimits) {
    this.upstreams = new Upstreams(instances, limits, { answer: relay, ended: (exchange, error) => this.afterTry(exchange, error) });
  }

  /** Sends the exchange to its route's app; called once its body is ready, and again for each retry. */
  readonly forward = (exchange: Exchange): void => {
    const { route } = exchange;
    if (!route || exchange.finished) return; // the client went, or the router answered already
    const backend = this.upstreams.pick(route.app, exchange.tried);
    if (backend === 'full') {
      // As gorouter at max_conns: an answer now, not a wait for a connection a stream may hold for hours.
      answer(exchange, 'connection_limit_reached', requestedRoute(exchange.req));
      return;
    }
    if (!backend) {
      noInstanceLeft(exchange, route);
      return;
    }
    this.upstreams.send(exchange, backend);
  };

  /** A try ended (its counts are released already): whole, or with an error. */
  private afterTry(exchange: Exchange, error: TryError): void {
    const { route, backend } = exchange;
    if (!error || !route || !backend || settled(exchange)) return;
    exchange.tried.add(backend.id);
    const code = error.code ?? error.message;
    exchange.lastError = code;
    const { req, res } = exchange;
    const decision = retryPolicy({ error: code, method: req.method, replayable: exchange.replayable, tries: exchange.tried.size });
    if (!res.headersSent && decision === 'retry') this.forward(exchange);
    else giveUp(exchange, route, code);
  }
}

/**
 * True when a failed try leaves nothing to do: the client went, the router answered (413,
 * 408), or the app's answer was on its way (then undici has closed the client's side too;
 * a response it left open is closed here).
 */
function settled(exchange: Exchange): boolean {
  const { req, res } = exchange;
  if (!(res.destroyed || req.socket.destroyed || res.writableEnded || exchange.answered)) return false;
  if (exchange.answered && !res.writableEnded) res.destroy();
  return true;
}

/** Every instance tried failed (502), or the app has none in rotation (503). */
function noInstanceLeft(exchange: Exchange, route: RouteTarget): void {
  if (exchange.tried.size === 0) {
    answer(exchange, 'no_available_endpoints', route.app);
    return;
  }
  exchange.routerError = `backend_unavailable ${exchange.lastError ?? ''}`.trim();
  answer(exchange, 'backend_unavailable', route.app);
}

/** No more tries: 502 when nothing was answered yet, else the half-sent answer is cut. */
function giveUp(exchange: Exchange, route: RouteTarget, code: string): void {
  exchange.routerError = `backend_unavailable ${code}`;
  if (!exchange.res.headersSent) answer(exchange, 'backend_unavailable', route.app, code);
  else exchange.res.destroy();
}

/** The app's status and headers, sent on to the client; undici then writes the body into the response (with backpressure) and ends it. */
function relay(exchange: Exchange, statusCode: number, headers: IncomingHttpHeaders): Writable {
  const { res } = exchange;
  exchange.answered = true;
  // A stream never ends by itself: it must not hold up a drain (its app ends it on SIGTERM).
  if (String(headers['content-type'] ?? '').startsWith('text/event-stream')) exchange.release?.();
  // The length the app declared (counting chunks would cost a listener call per chunk).
  const length = headers['content-length'];
  if (length !== undefined) exchange.bytes = Number(length);
  res.writeHead(statusCode, endToEndHeaders(headers));
  // No body can follow (a 304 or 204 may still declare a length, which undici then finds
  // unmet): the answer is complete, and whatever undici says next goes nowhere.
  if (statusCode === 204 || statusCode === 304) {
    res.end();
    return new Writable({ write: (_chunk, _encoding, done) => done() });
  }
  return res;
}
