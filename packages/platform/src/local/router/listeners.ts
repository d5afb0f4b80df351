import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { PlatformError } from '../../manifest/errors';
import { refuse, writeError } from './answers';
import { clientError } from './client-error';
import type { RouterLimits } from './settings';

/** A request on the public listener, or (internalHost) on an internal route's own. */
export type Handler = (req: IncomingMessage, res: ServerResponse, internalHost?: string) => void;

/**
 * The router's HTTP servers: the public listener, and one per internal route's host (what
 * the host resolves to inside the space), all with the same limits of Node's.
 */
export class Listeners {
  readonly server: Server;
  /** One listener per internal route's host. */
  private readonly internal = new Map<string, { server: Server; port: number }>();
  private readonly serverOptions: ServerOptions;

  constructor(
    private readonly limits: RouterLimits,
    private readonly handler: Handler,
  ) {
    const { maxHeaderBytes, headersTimeoutMs, requestTimeoutMs } = limits;
    // Node checks the header and request timeouts of open requests every interval, at no cost per request.
    const connectionsCheckingInterval = Math.max(10, Math.min(30_000, Math.floor(headersTimeoutMs / 4)));
    this.serverOptions = {
      maxHeaderSize: maxHeaderBytes,
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      connectionsCheckingInterval,
    };
    this.server = this.create((req, res) => handler(req, res));
  }

  /** Listens on `port` (0 for a free one) and answers the port. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new PlatformError(`port ${port} is already in use (is this space already running? see scripts/status; or set ROUTER_PORT)`)
            : error,
        ),
      );
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : port;
  }

  /** A listener on 127.0.0.1 for each internal host that has none yet; answers host to port for all of them. */
  async listenInternal(hosts: Iterable<string>): Promise<Map<string, number>> {
    for (const host of hosts) {
      if (this.internal.has(host)) continue;
      const server = this.create((req, res) => this.handler(req, res, host));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      this.internal.set(host, { server, port: (server.address() as AddressInfo).port });
    }
    return new Map([...this.internal].map(([host, { port }]) => [host, port]));
  }

  /** Stops taking new requests on every listener (requests in flight go on). */
  stopListening(): void {
    for (const server of this.all()) server.close();
  }

  /** Closes every listener and every client connection, in flight or idle. */
  async close(): Promise<void> {
    const servers = this.all();
    const closed = Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    for (const server of servers) server.closeAllConnections();
    await closed;
  }

  private all(): Server[] {
    return [this.server, ...[...this.internal.values()].map((entry) => entry.server)];
  }

  private create(handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
    const server = createServer(this.serverOptions, handler);
    // Clients' idle connections stay open a while; the router is never in a hurry to close.
    server.keepAliveTimeout = 90_000;
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => clientError(error, socket, this.limits.maxHeaderBytes));
    // Node answers an Expect other than 100-continue with a bare 417 unless someone listens.
    server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
      res.setHeader('connection', 'close');
      writeError(res, randomUUID(), 'expectation_failed');
    });
    // CONNECT asks for a tunnel, which a router of HTTP routes does not make.
    server.on('connect', (_req: IncomingMessage, socket: Duplex) => refuse(socket, 'bad_request', 'connect'));
    return server;
  }
}
