import type Koa from 'koa';
import type { Logger } from 'pino';
import type { AppIdentity } from '../config/application';
import type { HttpMetrics } from './metrics';
import type { TakenConnections } from './take-connection';

/**
 * The types an app made by the kit carries, in a file that imports no other module of the
 * kit's HTTP stack: create-app builds them, ops-access, boot and the lifecycle read them,
 * and none of those has to import another to name them (no import circle, not even a type one).
 */

/** Who may see the ops routes (/ready, /version, /metrics) when a request came through a router. */
export interface OpsAccess {
  /** A bearer token that opens them to routed requests (a scraper outside the platform); undefined: none does. */
  metricsToken?: string;
  /** Whether routed requests without the token still get /version (app and version, no commit). */
  publicVersion: boolean;
  /** Whether internal routes (directOnly) answer requests that came through a router. */
  internalViaRouter: boolean;
}

export const DEFAULT_OPS_ACCESS: OpsAccess = { publicVersion: true, internalViaRouter: false };

/** What the lifecycle needs from an app made by the kit. */
export interface KitState {
  identity: AppIdentity;
  logger: Logger;
  metrics: HttpMetrics;
  draining: boolean;
  /** Long-lived responses (SSE) to end when the process drains. */
  streams: Set<() => void>;
  /** Connections taken from the HTTP server for such responses (takeConnection): cut when the drain's grace is over. */
  connections: TakenConnections;
  ops: OpsAccess;
}

export type KitApp = Koa & { kit: KitState };
