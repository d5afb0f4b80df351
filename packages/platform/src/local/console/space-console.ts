import type { LogRecord } from '../log-record';
import { recentLines } from '../log-filter';
import type { Space } from '../space';
import { spaceStatus } from '../status';
import { fetchRoutes } from './routes';
import { startConsole, type ConsoleServer } from './server';

/**
 * The supervisor's console for a running space (server.ts): its status, its trace store
 * (space-telemetry.ts), the log lines the supervisor keeps, and each app's routes asked of
 * one of its ready web instances. Listens on 127.0.0.1, a free port, with a token of its own;
 * the space then carries the URL (token in the fragment) for the start block and status.
 */
export async function startSpaceConsole(space: Space, logs: { history(): LogRecord[] }): Promise<ConsoleServer> {
  const server = await startConsole({
    space: space.name,
    status: () => spaceStatus(space),
    requests: (limit) => space.telemetry?.store.recent(limit) ?? [],
    trace: (id) => space.telemetry?.store.find(id),
    // As scripts/logs --request prints them: router's and apps', in the order they were written.
    logs: (requestId) => recentLines(logs.history(), { requestId }),
    routes: () =>
      Promise.all(
        (space.manifest?.apps ?? []).map(async (app) => {
          const instance = space.pool(app.name)[0];
          return { app: app.name, routes: instance ? await fetchRoutes(instance.port) : undefined };
        }),
      ),
  });
  space.consoleUrl = server.url;
  return server;
}
