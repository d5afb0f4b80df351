import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { KitApp } from './http/create-app';
import { activeTelemetry, shutdownTelemetry } from './telemetry/hooks';

/**
 * Routers keep idle backend connections for up to 90 s (Cloud Foundry's gorouter and
 * Heroku's router both do). If the app closed an idle socket first, a router could send
 * a request down it at the same moment and get a reset; so the app's keep-alive outlasts
 * theirs, and the router is always the side that closes.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 95_000;

export interface ServeOptions {
  port: number;
  host?: string;
  /** How long in-flight requests may finish after SIGTERM before sockets are cut. */
  graceMs?: number;
  /** Run after the server has drained, in order: quit Redis and the like. */
  onClose?: Array<() => Promise<unknown> | unknown>;
  /** Called instead of process.exit (tests). */
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

export interface Serving {
  server: Server;
  port: number;
  /** Drains and closes as on SIGTERM; resolves when everything is closed. */
  shutdown(reason: string): Promise<void>;
}

/**
 * Listens on PORT and wires SIGTERM/SIGINT to a graceful drain: /ready turns 503, the
 * server stops accepting, in-flight requests finish (up to graceMs), idle keep-alive
 * sockets and long-lived streams close, close hooks run, then the process exits 0.
 */
export async function serve(app: KitApp, options: ServeOptions): Promise<Serving> {
  const logger = app.kit.logger;
  const server = createServer(app.callback());
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  server.on('clientError', (error, socket) => answerClientError(error, socket, logger));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  // The address too: whether an instance is reachable from outside its machine is the host's doing.
  const host = typeof address === 'object' && address !== null ? address.address : options.host;
  logger.info({ host, port }, 'listening');

  let closing: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    closing ??= drain(app, server, logger, reason, options);
    return closing;
  };
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => {
      void shutdown(signal).then(() => (options.exit ?? process.exit)(0));
    });
  }
  return { server, port, shutdown };
}

async function drain(app: KitApp, server: Server, logger: Logger, reason: string, options: ServeOptions): Promise<void> {
  const graceMs = options.graceMs ?? 8000;
  logger.info({ reason, grace_ms: graceMs }, 'draining');
  app.kit.draining = true;
  // Connections taken from the server (long-lived responses) close outside its count: they
  // are waited for too, so that their close handlers run before the close hooks.
  const closed = new Promise<void>((resolve) => server.close(() => resolve())).then(() => app.kit.connections.allClosed());
  server.closeIdleConnections();
  // Streams never finish by themselves: end them so their clients reconnect elsewhere.
  for (const close of app.kit.streams) close();
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'grace over'>((resolve) => {
    timer = setTimeout(() => resolve('grace over'), graceMs);
    timer.unref();
  });
  if ((await Promise.race([closed, graceOver])) === 'grace over') {
    logger.warn({ grace_ms: graceMs }, 'grace period over, closing remaining connections');
    server.closeAllConnections();
    app.kit.connections.destroyAll();
    await closed;
  }
  clearTimeout(timer);
  for (const hook of options.onClose ?? []) {
    try {
      await hook();
    } catch (error) {
      logger.error({ err: error }, 'close hook failed');
    }
  }
  await shutdownTelemetry(); // the last spans and metrics, within a bound
  logger.info('stopped');
}

/** A request Node could not even parse (bad header bytes, oversized headers) still gets our JSON shape. */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, logger: Logger): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const requestId = randomUUID();
  const body = JSON.stringify({
    error: {
      code: status === 431 ? 'headers_too_large' : 'bad_request',
      message: 'the request could not be parsed',
      request_id: requestId,
    },
  });
  logger.info({ request_id: requestId, status, reason: error.code }, 'unparseable request');
  socket.end(
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Process-level handling, installed by main.ts (never by a library): an uncaught error
 * or unhandled rejection is logged once at fatal and ends the process with 1.
 */
export function installProcessHandlers(logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): void {
  activeTelemetry()?.useLogger(logger); // the exporters' warnings, from now on in the app's log
  let failed = false;
  const fatal = (kind: string) => (error: unknown) => {
    if (failed) return;
    failed = true;
    logger.fatal({ err: error }, kind);
    logger.flush(() => exit(1));
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled rejection'));
}
