import type { Server } from 'node:http';
import { Forwarder } from './forward';
import { handle, type Steps } from './handle';
import { BodyIntake } from './intake';
import { Listeners } from './listeners';
import { RouteTable } from './route-table';
import { routerLimits, type RouterLimits } from './settings';
import type { RouteTarget, RouterOptions } from './types';
import type { Upstreams } from './upstream';

export type { Backend, RouteTarget, RouterOptions } from './types';
export type { RouterLimits } from './settings';

/**
 * The space's router (Cloud Foundry's gorouter, in small): routes by host and the longest
 * matching path prefix, round-robins over healthy instances, sets X-Request-Id and the
 * X-Forwarded-* it owns, streams responses as they come (Server-Sent Events included),
 * closes either side of a request when the other goes, bounds the time and size of
 * requests, and writes an `[RTR/0]` access line per request. The proxying itself is
 * undici's: a keep-alive Pool per instance (bench/router measured it ahead of http-proxy,
 * http-proxy-3 and node:http). This class only wires the parts; README.md maps them.
 */
export class Router {
  readonly server: Server;
  readonly limits: RouterLimits;
  port = 0;
  private table: RouteTable;
  private readonly listeners: Listeners;
  private readonly upstreams: Upstreams;

  constructor(private readonly options: RouterOptions) {
    this.limits = routerLimits(options.env, options.limits);
    this.table = new RouteTable(options.routes, options.defaultHost);
    const forwarder = new Forwarder(options.pool, this.limits);
    this.upstreams = forwarder.upstreams;
    const steps: Steps = { routes: () => this.table, intake: new BodyIntake(this.limits, forwarder.forward), log: options.log };
    this.listeners = new Listeners(this.limits, (req, res, internalHost) => handle(steps, req, res, internalHost));
    this.server = this.listeners.server;
  }

  setRoutes(routes: RouteTarget[], defaultHost = this.table.defaultHost): void {
    this.table = new RouteTable(routes, defaultHost);
  }

  match(hostHeader: string | undefined, url: string | undefined, internalHost?: string): RouteTarget | undefined {
    return this.table.match(hostHeader, url, internalHost);
  }

  async listen(): Promise<number> {
    this.port = await this.listeners.listen(this.options.port, this.options.host);
    return this.port;
  }

  /**
   * Cloud Foundry's container network, in small: every internal route's host gets a
   * listener on 127.0.0.1 (where the host "resolves" in this space; environment.ts writes
   * that address into the env of apps that name the host). Requests there go straight to
   * the app's instances, round-robin, with no X-Forwarded-* headers and no access line,
   * as container-to-container traffic never passes gorouter. A listener opened before its
   * route is set (a push adding one) answers 404 until setRoutes. Answers host to port.
   */
  listenInternal(hosts: Iterable<string>): Promise<Map<string, number>> {
    return this.listeners.listenInternal(hosts);
  }

  /** Connections to instances carrying a request now (idle pooled ones not counted). */
  upstreamSockets(): number {
    return this.upstreams.busySockets();
  }

  /** Requests on their way to or inside the instance now. */
  inFlight(id: string): number {
    return this.upstreams.inFlight(id);
  }

  /** Drops the idle keep-alive connections to an instance's port (it is out of rotation, or gone). */
  forget(port: number): void {
    this.upstreams.forget(port);
  }

  /** Resolves once no request is on its way to or inside the instance. */
  waitIdle(id: string): Promise<void> {
    return this.upstreams.waitIdle(id);
  }

  /** Stops taking new requests on every listener (requests in flight go on). */
  stopListening(): void {
    this.listeners.stopListening();
  }

  async close(): Promise<void> {
    await this.listeners.close();
    await this.upstreams.close();
  }
}
