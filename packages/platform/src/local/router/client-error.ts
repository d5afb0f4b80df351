import type { Duplex } from 'node:stream';
import { answer, refuse } from './answers';
import type { MessageArgs, RouterErrorCode } from './errors';
import { exchangeOn } from './exchange';

type Send = <C extends RouterErrorCode>(code: C, ...args: MessageArgs<C>) => void;

/**
 * A request Node refused before (or while) it reached the router's handler: headers over
 * the limit (431), headers or body too slow (408), a malformed request (400). Answered in
 * the apps' JSON error shape, then the connection is closed.
 */
export function clientError(error: NodeJS.ErrnoException, socket: Duplex, maxHeaderBytes: number): void {
  const reply = (send: Send): void =>
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? send('request_timeout')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? send('headers_too_large', maxHeaderBytes)
        : send('bad_request', 'unparsed');
  // A client that reset its connection reads no answer, nor one whose upload ended in mid-body
  // (an EOF with a request under way); one that half-closed after part of its headers still may.
  const clientGone = !socket.writable || error.code === 'ECONNRESET';
  const latest = exchangeOn(socket);
  // The request the router has, while its answer or its body is still on the way (after a 413, the rest of the body).
  const exchange = latest && !(latest.res.writableEnded && latest.req.complete) ? latest : undefined;
  if (exchange) {
    // Let go of the app's side; answer only if nothing was answered yet (never a second answer on
    // one request): a timeout, or a body the parser refused (a malformed chunk).
    exchange.cancelUpstream();
    const { res } = exchange;
    if (!res.headersSent && !clientGone && error.code !== 'HPE_INVALID_EOF_STATE') {
      res.setHeader('connection', 'close');
      reply((code, ...args) => answer(exchange, code, ...args));
      res.once('finish', () => socket.destroy());
    } else socket.destroy();
    return;
  }
  if (clientGone) {
    socket.destroy();
    return;
  }
  reply((code, ...args) => refuse(socket, code, ...args));
}
