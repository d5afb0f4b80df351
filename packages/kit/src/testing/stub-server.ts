import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface StubReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Never answer (to test timeouts); the socket is destroyed when the stub closes. */
  hang?: boolean;
}

export type StubHandler = (request: StubRequest) => StubReply | Promise<StubReply>;

export interface StubServer {
  url: string;
  /** Every request received, in order. */
  requests: StubRequest[];
  /** Replaces the handler for "METHOD /path" (per-test overrides). */
  on(route: string, handler: StubHandler): void;
  close(): Promise<void>;
}

/**
 * Another app, answered locally: a server on 127.0.0.1 with a handler per "METHOD /path".
 * A request nobody expected answers 599 and is recorded, so the test sees it.
 */
export async function startStubServer(handlers: Record<string, StubHandler> = {}): Promise<StubServer> {
  const routes = new Map(Object.entries(handlers));
  const requests: StubRequest[] = [];
  const server: Server = createServer((req, res) => void handle(req, res));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const request: StubRequest = { method: req.method ?? 'GET', path, headers: req.headers, body: raw === '' ? undefined : safeJson(raw) };
    requests.push(request);
    const handler = routes.get(`${request.method} ${path}`);
    const reply = handler ? await handler(request) : { status: 599, body: { error: `unexpected ${request.method} ${path}` } };
    if (reply.hang) return;
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('stub server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    on: (route, handler) => routes.set(route, handler),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
