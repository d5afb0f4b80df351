import { randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LogRecord } from '../log-record';
import type { StoredSpan } from '../telemetry/spans';
import type { RecentRequest } from '../telemetry/trace-store';
import { CONSOLE_CSS, CONSOLE_HTML, CONSOLE_JS } from './page';
import type { AppRoute } from './routes';

/** What the console shows, asked of the supervisor at each request (nothing is copied). */
export interface ConsoleData {
  space: string;
  /** The space's status, as `scripts/status --json` prints it. */
  status(): unknown;
  requests(limit: number): RecentRequest[];
  trace(id: string): StoredSpan[] | undefined;
  /** The kept log lines carrying a request id, router's and apps', in order. */
  logs(requestId: string): LogRecord[];
  /** Each app's routes from its OpenAPI document. */
  routes(): Promise<Array<{ app: string; routes: AppRoute[] | undefined }>>;
}

export interface ConsoleServer {
  /** http://127.0.0.1:<port>/#token=<token>: the token stays in the fragment, which no browser sends or logs. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const STATIC: Record<string, { type: string; body: string }> = {
  '/': { type: 'text/html; charset=utf-8', body: CONSOLE_HTML },
  '/console.js': { type: 'text/javascript; charset=utf-8', body: CONSOLE_JS },
  '/console.css': { type: 'text/css; charset=utf-8', body: CONSOLE_CSS },
};

/**
 * The local console: a page the supervisor serves on a port of its own (127.0.0.1, free,
 * named in the start block) showing the space's apps and instances, its recent requests with
 * their trace waterfall and log lines, and each app's routes. The page and its script hold no
 * data; the JSON under /api/ answers only with the supervisor's token (Authorization: Bearer),
 * which the URL carries in its fragment: other users of the machine can reach the port, not
 * the logs.
 */
export async function startConsole(data: ConsoleData, options: { port?: number; token?: string } = {}): Promise<ConsoleServer> {
  const token = options.token ?? randomBytes(18).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://console');
    const file = STATIC[url.pathname];
    if (req.method !== 'GET') return json(res, 405, { error: { code: 'method_not_allowed', message: 'GET only' } });
    if (file) {
      res.writeHead(200, {
        'content-type': file.type,
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
      });
      return void res.end(file.body);
    }
    if (!url.pathname.startsWith('/api/')) return json(res, 404, { error: { code: 'not_found', message: 'no such page' } });
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return json(res, 401, {
        error: { code: 'unauthorized', message: 'the console token is missing or wrong (open the URL of the start block)' },
      });
    }
    void answer(url).then(
      ([status, body]) => json(res, status, body),
      (error: Error) => json(res, 500, { error: { code: 'internal_error', message: error.message } }),
    );
  });

  async function answer(url: URL): Promise<[number, unknown]> {
    const [, , resource, id] = url.pathname.split('/');
    if (resource === 'status') return [200, data.status()];
    if (resource === 'requests')
      return [200, { space: data.space, requests: data.requests(Math.min(Number(url.searchParams.get('limit') ?? 100) || 100, 500)) }];
    if (resource === 'traces' && id) {
      const spans = data.trace(decodeURIComponent(id));
      return spans ? [200, { spans }] : [404, { error: { code: 'not_found', message: 'no such trace kept (it may have been evicted)' } }];
    }
    if (resource === 'logs' && url.searchParams.get('request')) return [200, { records: data.logs(url.searchParams.get('request') ?? '') }];
    if (resource === 'routes') return [200, { apps: await data.routes() }];
    return [404, { error: { code: 'not_found', message: 'no such resource' } }];
  }

  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
