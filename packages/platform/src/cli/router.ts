import { createFormatter } from '../local/logs';
import { Router, type RouteTarget } from '../local/router';
import { fail } from './common';

/**
 * The router alone, for Procfile runners (foreman, honcho, `heroku local`) that start the
 * processes but route nothing: listens on PORT and sends each path prefix to a local port,
 * as ROUTES says ("/=5100,/api/users=5200,..."); longest prefix wins, like the manifest's routes.
 */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const portText = env.PORT ?? '5000';
  const port = portNumber(portText, 0);
  if (port === undefined) fail('router', `PORT: expected a port number (0-65535), got "${portText}"`);
  const routes: RouteTarget[] = [];
  for (const pair of (env.ROUTES ?? '').split(',').filter(Boolean)) {
    const [path = '', target = ''] = pair.split('=');
    if (!path.startsWith('/') || portNumber(target, 1) === undefined) fail('router', `ROUTES: expected /path=port pairs separated by commas, got "${pair}"`);
    routes.push({ host: 'localhost', path: path.replace(/\/+$/, ''), app: target });
  }
  if (routes.length === 0) fail('router', 'ROUTES is empty: set it in .env (see .env.example)');
  const format = createFormatter({ pretty: false, color: false });
  let router: Router;
  try {
    router = new Router({
      port,
      host: env.ROUTER_HOST ?? '127.0.0.1',
      routes,
      defaultHost: 'localhost',
      pool: (app) => [{ id: app, app, index: 0, port: Number(app) }],
      log: (record) => void process.stdout.write(`${format(record)}\n`),
      env, // ROUTER_MAX_BODY_BYTES and the other limits (README, "Router")
    });
  } catch (error) {
    return fail('router', (error as Error).message);
  }
  await router.listen().catch((error: Error) => fail('router', error.message));
  process.stdout.write(`router: http://localhost:${router.port} -> ${routes.map((route) => `${route.path || '/'}=${route.app}`).join(', ')}\n`);
  process.once('SIGTERM', () => void router.close().then(() => process.exit(0)));
  process.once('SIGINT', () => void router.close().then(() => process.exit(0)));
}

if (require.main === module) void main();

/** Digits only (Number() would take " 80", "0x50" or "1e3") from `min` to 65535; else undefined. */
function portNumber(text: string, min: number): number | undefined {
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  return port >= min && port <= 65535 ? port : undefined;
}
