import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The part of node's HTTP server that holds a connection: its parser. Undocumented, so
 * each method is checked before use; the names are those node's own upgrade path uses
 * (lib/_http_server.js), in Node 22 and 24 alike.
 */
interface ConnectionParser {
  _consumed?: boolean;
  socket: unknown;
  incoming: unknown;
  outgoing: unknown;
  onIncoming: unknown;
  unconsume(): void;
  finish(): unknown;
  remove(): void;
  close(): void;
}

/** The socket events node's HTTP server listens to; its listeners (and those of Koa's on-finished) go. */
const SERVER_EVENTS = ['data', 'end', 'close', 'drain', 'error', 'timeout', 'pause', 'resume'] as const;

const isParser = (value: unknown): value is ConnectionParser =>
  typeof value === 'object' &&
  value !== null &&
  ['unconsume', 'finish', 'remove', 'close'].every((method) => typeof (value as Record<string, unknown>)[method] === 'function');

const closeParser = (parser: ConnectionParser): void => parser.close();

/** Why takeConnection left a connection where it was (see there). */
export type TakeRefusal = 'gone' | 'head' | 'framing' | 'reading' | 'pipelined' | 'unsupported';
const ignore = (): void => undefined;

/**
 * Takes a long-lived response's connection out of node's HTTP server once its head is
 * written, as node itself hands over an upgraded connection: the server's listeners come
 * off the socket and its HTTP parser is freed. The caller then writes the body to the
 * socket and ends it; nothing else of the request is kept.
 *
 * Why: while node's server holds a connection it keeps its parser (about 10 KB of native
 * memory), the request and response objects, and everything listening on them (Koa's
 * context, through on-finished): about 15 KB of RSS an open connection, against 4 KB for
 * the socket alone (bench/push, apps/push/README.md). An instance that holds thousands of
 * event streams pays that for each.
 *
 * Only for a response whose body ends with its connection (Connection: close, no chunked
 * framing: `res.useChunkedEncodingByDefault = false` before the head): the socket
 * never carries another request. Bytes the client sends after its request are read and
 * dropped; its end of the connection ends ours. A socket taken here is held in `taken`
 * until it closes, so that a drain waits for it and cuts it when its grace is over.
 * Everything listening on the socket goes with the server: its own listeners and those
 * on-finished put there for Koa (net.Socket's own 'end' listener does nothing on a
 * server's sockets, which are half-open).
 *
 * Returns why not, and leaves everything as it was, when the connection cannot be taken:
 * - `gone`: the socket is closed or closing;
 * - `head`: the head is not written (writeHead not called);
 * - `framing`: the body is chunked, or bytes are still held by the response;
 * - `reading`: the request is not read to its end (a body still coming, or the call is
 *   made from inside the parse, before any await: freeing the parser there crashes Node 22);
 * - `pipelined`: the client sent another request behind this one, whose response waits
 *   for the socket;
 * - `unsupported`: the runtime's HTTP server is not the one this was written against (no
 *   parser with those methods).
 */
export function takeConnection(res: ServerResponse, taken: TakenConnections): Socket | TakeRefusal {
  const socket = res.socket;
  if (!socket || socket.destroyed || !socket.writable || res.destroyed) return 'gone';
  if (!res.headersSent) return 'head';
  res.flushHeaders(); // writeHead alone keeps the head until the first write
  // Bytes the response still holds itself (it had no socket yet, or it keeps chunks while
  // corked) would be lost with it; a chunked body cannot go on as raw bytes.
  const chunked = (res as { chunkedEncoding?: boolean }).chunkedEncoding !== false;
  if (chunked || res.writableLength > socket.writableLength) return 'framing';
  if (!res.req.complete) return 'reading';
  const parser = (socket as { parser?: unknown }).parser;
  if (!isParser(parser)) return 'unsupported';
  if (parser.incoming !== res.req) return 'pipelined';

  res.detachSocket(socket);
  // The response corks the socket for the rest of the tick; Node 24 uncorks it through the
  // response, which detachSocket just cut off: uncorked here, or the head never leaves.
  while (socket.writableCorked > 0) socket.uncork();
  for (const event of SERVER_EVENTS) socket.removeAllListeners(event);
  if (parser._consumed) parser.unconsume();
  parser._consumed = false;
  parser.finish();
  parser.socket = null;
  parser.incoming = null;
  parser.outgoing = null;
  parser.onIncoming = null;
  parser.remove(); // out of the server's list of connections it times out
  (socket as { parser?: unknown }).parser = null;
  // Freed after the current call has unwound, as node does.
  setImmediate(closeParser, parser);

  taken.add(socket);
  // An error closes the socket; the caller learns of it from 'close'.
  socket.on('error', ignore);
  socket.on('end', () => socket.end());
  socket.on('data', ignore);
  socket.resume();
  return socket;
}

/**
 * The connections taken from one server, until each closes: node's server no longer
 * counts them in its own list (closeAllConnections), so a drain asks here.
 */
export class TakenConnections {
  private readonly open = new Set<Socket>();
  private waiting: Array<() => void> = [];

  get size(): number {
    return this.open.size;
  }

  has(socket: Socket): boolean {
    return this.open.has(socket);
  }

  add(socket: Socket): void {
    this.open.add(socket);
    // Registered before the taker's own 'close' listener, and a waiter goes on in a later
    // microtask: what the taker does on close (a last write to Redis, say) is under way
    // before a drain goes on to its close hooks.
    socket.once('close', () => {
      this.open.delete(socket);
      if (this.open.size === 0) for (const release of this.waiting.splice(0)) release();
    });
  }

  /** Resolves once every taken connection has closed and its 'close' listeners have run. */
  allClosed(): Promise<void> {
    if (this.open.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  destroyAll(): void {
    for (const socket of this.open) socket.destroy();
  }
}
