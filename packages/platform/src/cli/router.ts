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
  const port = /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port <= 65535)) fail('router', `PORT: expected a port number (0-65535), got "${portText}"`);
  const routes: RouteTarget[] = [];
  for (const pair of (env.ROUTES ?? '').split(',').filter(Boolean)) {
    const [path = '', target = ''] = pair.split('=');
    const targetPort = /^\d+$/.test(target) ? Number(target) : 0;
    if (!path.startsWith('/') || !(targetPort >= 1 && targetPort <= 65535)) fail('router', `ROUTES: expected /path=port pairs separated by commas, got "${pair}"`);
    routes.push({ host: 'localhost', path: path.replace(/\/+$/, ''), app: target });
  }
  if (routes.length === 0) fail('router', 'ROUTES is empty: set it in .env (see .env.example)');
  const format = createFormatter({ pretty: false, color: false });
  const router = new Router({
    port,
    host: env.ROUTER_HOST ?? '127.0.0.1',
    routes,
    defaultHost: 'localhost',
    pool: (app) => [{ id: app, app, index: 0, port: Number(app) }],
    log: (record) => void process.stdout.write(`${format(record)}\n`),
  });
  await router.listen().catch((error: Error) => fail('router', error.message));
  process.stdout.write(`router: http://localhost:${router.port} -> ${routes.map((route) => `${route.path || '/'}=${route.app}`).join(', ')}\n`);
  process.once('SIGTERM', () => void router.close().then(() => process.exit(0)));
  process.once('SIGINT', () => void router.close().then(() => process.exit(0)));
}

if (require.main === module) void main();
