import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogRecord } from '../log-record';
import { logTime } from '../logs';
import { accessLine } from './access-line';
import { answer } from './answers';
import { Exchange } from './exchange';
import { hasOneHost, pickRequestId, requestedRoute, setForwardedHeaders, toOriginForm } from './headers';
import type { BodyIntake } from './intake';
import type { RouteTable } from './route-table';

/** What the steps of a request need from the router. */
export interface Steps {
  routes: () => RouteTable;
  /** Makes the body ready, then forwards the request. */
  intake: BodyIntake;
  log: (record: LogRecord) => void;
}

/**
 * One request, step by step: its id, its route, the checks of its head, its body, then the
 * app; when it closes, the app's side is let go and (on the public listener) an access
 * line is written. Each step answers itself when the request goes no further.
 */
export function handle(steps: Steps, req: IncomingMessage, res: ServerResponse, internalHost?: string): void {
  const requestId = pickRequestId(req.headers);
  req.headers['x-request-id'] = requestId;
  const exchange = new Exchange(req, res, requestId, internalHost);
  const routable = toOriginForm(req);
  const route = routable ? steps.routes().match(req.headers.host, req.url, internalHost) : undefined;
  exchange.route = route;
  res.once('close', () => closed(steps, exchange));
  if (!routable) return answer(exchange, 'bad_request', 'target');
  if (!hasOneHost(req)) return answer(exchange, 'bad_request', 'hosts');
  if (!route) return answer(exchange, 'unknown_route', requestedRoute(req));
  // Container-to-container traffic passes no router: an internal listener sets none.
  if (internalHost === undefined) setForwardedHeaders(req);
  steps.intake.take(exchange);
}

function closed(steps: Steps, exchange: Exchange): void {
  exchange.release?.(); // the last try's; each earlier one was released when it failed
  // The client went before the whole answer: close the app's side too (a stream would stay open for ever).
  if (!exchange.res.writableFinished) exchange.cancelUpstream();
  if (exchange.internalHost === undefined) steps.log(access(exchange));
}

function access(exchange: Exchange): LogRecord {
  const { req, res, backend, requestId } = exchange;
  const seconds = (performance.now() - exchange.started) / 1000;
  const status = res.headersSent ? res.statusCode : 499;
  const time = logTime();
  const facts = { status, bytes: exchange.bytes, backend, peer: exchange.peer, requestId, seconds, routerError: exchange.routerError };
  return { time, app: exchange.route?.app ?? '-', source: 'RTR/0', stream: 'OUT', line: accessLine(req, facts, time) };
}
