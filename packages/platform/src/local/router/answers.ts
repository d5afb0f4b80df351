import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { routerError, type MessageArgs, type RouterErrorCode } from './errors';
import type { Exchange } from './exchange';

/** The router answers for the app: the apps' JSON error shape, with gorouter's X-Cf-Routererror. */
export function answer<C extends RouterErrorCode>(exchange: Exchange, code: C, ...args: MessageArgs<C>): void {
  exchange.routerError ??= code; // a cause set before (backend_unavailable ECONNREFUSED) is kept for the access line
  writeError(exchange.res, exchange.requestId, code, ...args);
}

/** An error answer on a response that has no exchange (Node's checkExpectation comes before the request handler). */
export function writeError<C extends RouterErrorCode>(res: ServerResponse, requestId: string, code: C, ...args: MessageArgs<C>): void {
  const { status, message } = routerError(code, ...args);
  const body = JSON.stringify({ error: { code, message, request_id: requestId } });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    'x-cf-routererror': code,
  });
  res.end(body);
}

/** An answer written on the socket itself (no request object to answer with), then the connection is closed. */
export function refuse<C extends RouterErrorCode>(socket: Duplex, code: C, ...args: MessageArgs<C>): void {
  const { status, message } = routerError(code, ...args);
  const body = JSON.stringify({ error: { code, message, request_id: randomUUID() } });
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-cf-routererror: ${code}\r\nconnection: close\r\n\r\n`;
  socket.end(head + body, () => socket.destroy());
}
