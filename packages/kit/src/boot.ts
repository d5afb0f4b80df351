import type { Logger } from 'pino';
import { ConfigError } from './config/errors';
import type { Env } from './config/vcap';
import type { KitApp } from './http/create-app';
import { loadOpsAccess } from './http/ops-access';
import { installProcessHandlers, serve, type ServeOptions, type Serving } from './lifecycle';

export interface Process {
  app: KitApp;
  logger: Logger;
  serve: Omit<ServeOptions, 'exit' | 'signals'>;
}

/**
 * The whole of an app's main.ts: `boot(async () => ({ app, logger, serve }))`.
 * A ConfigError while building stops the process with exit code 1 and its one line on
 * stderr; anything later is the process handlers' job. The ops routes' access settings
 * (METRICS_TOKEN, PUBLIC_VERSION, INTERNAL_ROUTES_VIA_ROUTER) are the same for every app,
 * so they are read here rather than in each app's schema.
 */
export async function boot(build: () => Promise<Process> | Process, env: Env = process.env): Promise<Serving | undefined> {
  let built: Process;
  try {
    built = await build();
    built.app.kit.ops = loadOpsAccess(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`config error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  installProcessHandlers(built.logger);
  try {
    return await serve(built.app, built.serve);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'EADDRINUSE' ? `PORT: ${built.serve.port} is already in use` : `cannot listen: ${(error as Error).message}`;
    built.logger.fatal(message);
    process.stderr.write(`${message}\n`);
    built.logger.flush(() => process.exit(1));
    return undefined;
  }
}
