import { createFormatter } from '../local/logs';
import { Router, type RouteTarget } from '../local/router';
import { fail } from './common';
import { ownType, procfilePorts, readProcfile } from './procfile-ports';

/**
 * The router alone, for Procfile runners (foreman, honcho, `heroku local`) that start the
 * processes but route nothing: listens on PORT and sends each path prefix to a process type
 * of the Procfile, as ROUTES says ("/=ui,/api/users=users,..."); longest prefix wins, like
 * the manifest's routes. A type's port follows from the router's own PORT and the Procfile's
 * order (the runners give line n base + 100 * n; procfile-ports.ts), so any base port works.
 * A target may also be a port number, for a process the Procfile does not run.
 */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const portText = env.PORT ?? '5000';
  const port = portNumber(portText, 0);
  if (port === undefined) fail('router', `PORT: expected a port number (0-65535), got "${portText}"`);
  const pairs = (env.ROUTES ?? '').split(',').filter(Boolean);
  if (pairs.length === 0) fail('router', 'ROUTES is empty: set it in .env (see .env.example)');
  let ports: Map<string, number> | undefined;
  const typePort = (type: string): number => {
    if (!ports) {
      let procfile: { path: string; text: string };
      try {
        procfile = readProcfile(env);
      } catch (error) {
        return fail('router', (error as Error).message);
      }
      const found = procfilePorts(procfile.text, ownType(env, 'router') as string, port);
      if (typeof found === 'string') fail('router', `${procfile.path}: ${found}`);
      ports = found;
    }
    const found = ports.get(type);
    if (found === undefined) fail('router', `ROUTES: no process type "${type}" in the Procfile (types: ${[...ports.keys()].join(', ')})`);
    return found;
  };
  const routes: RouteTarget[] = [];
  // Each target's port, by the name routes and answers use: the process type as ROUTES names
  // it ("No instance of the app ui answered", its access lines' app), or the port itself.
  const portOf = new Map<string, number>();
  for (const pair of pairs) {
    const [path = '', target = ''] = pair.split('=');
    const valid = path.startsWith('/') && (portNumber(target, 1) !== undefined || /^[A-Za-z][A-Za-z0-9_-]*$/.test(target));
    if (!valid) fail('router', `ROUTES: expected /path=process-type (or /path=port) pairs separated by commas, got "${pair}"`);
    portOf.set(target, portNumber(target, 1) ?? typePort(target));
    routes.push({ host: 'localhost', path: path.replace(/\/+$/, ''), app: target });
  }
  const format = createFormatter({ pretty: false, color: false });
  let router: Router;
  try {
    router = new Router({
      port,
      host: env.ROUTER_HOST ?? '127.0.0.1',
      routes,
      defaultHost: 'localhost',
      pool: (app) => {
        const target = portOf.get(app);
        return target === undefined ? [] : [{ id: app, app, index: 0, port: target }];
      },
      log: (record) => void process.stdout.write(`${format(record)}\n`),
      env, // ROUTER_MAX_BODY_BYTES and the other limits (README, "Router")
    });
  } catch (error) {
    return fail('router', (error as Error).message);
  }
  await router.listen().catch((error: Error) => fail('router', error.message));
  const named = pairs.map((pair, index) => `${pair}${/=\d+$/.test(pair) ? '' : `:${portOf.get(routes[index]?.app ?? '')}`}`);
  process.stdout.write(`router: http://localhost:${router.port} -> ${named.join(', ')}\n`);
  process.once('SIGTERM', () => void router.close().then(() => process.exit(0)));
  process.once('SIGINT', () => void router.close().then(() => process.exit(0)));
}

if (require.main === module) void main();

/** Digits only (Number() would take " 80", "0x50" or "1e3") from `min` to 65535; else undefined. */
function portNumber(text: string, min: number): number | undefined {
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  return port >= min && port <= 65535 ? port : undefined;
}
