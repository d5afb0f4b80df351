import type { LogRecord } from '../log-record';
import type { RouterLimits } from './settings';

/** A routed instance as the router sees it. */
export interface Backend {
  id: string;
  app: string;
  index: number;
  port: number;
}

export interface RouteTarget {
  host: string;
  /** "" or "/api/users". */
  path: string;
  app: string;
  /** A route on the internal domain: reached only through its own internal listener (listenInternal), never the public one. */
  internal?: boolean;
}

export interface RouterOptions {
  /** 0 for a free port. */
  port: number;
  host?: string;
  routes: RouteTarget[];
  /** Requests for localhost / 127.0.0.1 go to this host's routes. */
  defaultHost: string;
  /** The instances of an app that may take requests now (ready, not draining). */
  pool: (app: string) => Backend[];
  log: (record: LogRecord) => void;
  /** Beat the ROUTER_* environment variables (settings.ts). */
  limits?: Partial<RouterLimits>;
  /** Where the ROUTER_* variables are read; default process.env. */
  env?: NodeJS.ProcessEnv;
}
