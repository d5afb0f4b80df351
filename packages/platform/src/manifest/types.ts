/** How an instance is checked: http (GET an endpoint), port (TCP connect), process (it runs). */
export interface HealthCheck {
  type: 'http' | 'port' | 'process' | 'none';
  endpoint: string;
  /** Seconds one check may take. */
  invocationTimeout: number;
  /** Seconds between checks once the instance runs. */
  interval: number | undefined;
}

/** One process type of an app (`web`, `worker`), with its own command, size and checks. */
export interface ProcessSpec {
  type: string;
  command: string;
  instances: number;
  memoryMb: number;
  diskMb: number;
  /** Seconds an instance has to pass its first checks before it counts as crashed. */
  timeout: number;
  health: HealthCheck;
  readiness: HealthCheck;
}

/** A route as the manifest writes it (`host.domain/path`), split for the router. */
export interface Route {
  route: string;
  host: string;
  /** "" for the whole host, else "/api/users" (no trailing slash). */
  path: string;
  /**
   * On Cloud Foundry's internal domain (INTERNAL_DOMAIN): reached by other apps of the
   * platform directly (container to container, with a network policy), never by the router.
   */
  internal: boolean;
}

/** Cloud Foundry's default internal domain: `users.apps.internal` resolves to the app's instances inside the platform. */
export const INTERNAL_DOMAIN = 'apps.internal';

export interface AppSpec {
  name: string;
  /** Absolute: the directory the app's commands run in. */
  path: string;
  buildpacks: string[];
  env: Record<string, string>;
  services: string[];
  routes: Route[];
  /** `web` first when the app has one. */
  processes: ProcessSpec[];
}

export interface Manifest {
  file: string;
  apps: AppSpec[];
}
