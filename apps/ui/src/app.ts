import { join } from 'node:path';
import { createApp, loadOpenApi, openApiRouter, type AppIdentity, type KitApp, type Logger } from '@bundle/kit';
import { assets } from './assets';
import { readClientBuild } from './client-build';
import { pageRouter } from './routes/page';
import { pageSecurityHeaders } from './security';

export interface UiDeps {
  identity: AppIdentity;
  logger: Logger;
  /** The built client: index.html and assets/ (npm run build:client). */
  publicDir: string;
  /** Serve /assets/*.map (UI_SERVE_SOURCE_MAPS); off unless debugging. */
  serveSourceMaps?: boolean;
  readinessTimeoutMs?: number;
  processMetrics?: boolean;
}

const openApi = loadOpenApi(join(__dirname, '..', 'openapi.yaml'));

/**
 * The web client's server: the page at /, its hashed assets under /assets/, and the
 * ops routes. It has no backing service, so /ready has nothing to check. Throws a
 * ConfigError (one line at boot) when the client has not been built.
 */
export function createUiApp(deps: UiDeps): KitApp {
  const build = readClientBuild(deps.publicDir);
  return createApp({
    identity: deps.identity,
    logger: deps.logger,
    readiness: {},
    readinessTimeoutMs: deps.readinessTimeoutMs ?? 1000,
    processMetrics: deps.processMetrics ?? true,
    middleware: [pageSecurityHeaders(), assets(build.publicDir, { sourceMaps: deps.serveSourceMaps ?? false })],
    routers: [pageRouter(build.page), openApiRouter(openApi)],
  });
}
