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
 *
 * Returns undefined, and leaves everything as it was, when the response is not ready to
 * be taken (head not written, a chunked body, bytes still held by the response) or the
 * runtime's HTTP server is not the one this was written against (no parser with those
 * methods).
 */
export function takeConnection(res: ServerResponse, taken: TakenConnections): Socket | undefined {
  const socket = res.socket;
  const parser = (socket as { parser?: unknown } | null)?.parser;
  // Bytes the response still holds itself (it had no socket yet, or it keeps chunks while
  // corked) would be lost with it; a chunked body cannot go on as raw bytes.
  const chunked = (res as { chunkedEncoding?: boolean }).chunkedEncoding !== false;
  if (!socket || socket.destroyed || !res.headersSent || chunked || res.writableLength > socket.writableLength || !isParser(parser)) return undefined;
  res.detachSocket(socket);
  // The response corks the socket for the rest of the tick and uncorks it through its own
  // reference, which detachSocket just dropped: uncorked here, or the head never leaves.
  while (socket.writableCorked > 0) socket.uncork();
  for (const event of SERVER_EVENTS) socket.removeAllListeners(event);
  if (parser._consumed) parser.unconsume();
  parser._consumed = false;
  parser.finish();
  parser.socket = null;
  parser.incoming = null;
  parser.outgoing = null;
  parser.onIncoming = null;
  // The server's own callbacks (kOnExecute and the like) hold its per-connection state,
  // and through it the request: they go with the parser.
  for (const symbol of Object.getOwnPropertySymbols(parser)) (parser as unknown as Record<symbol, unknown>)[symbol] = null;
  parser.remove(); // out of the server's list of connections it times out
  (socket as { parser?: unknown }).parser = null;
  // Freed after the current parse has unwound, as node does.
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
