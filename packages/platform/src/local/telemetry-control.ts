import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Space } from './space';

/**
 * The telemetry routes of the supervisor's control channel (control.ts hands them every
 * request it does not answer itself), read from the space's trace store:
 *   GET /traces/<request-id|trace-id>   {spans}: one trace, its spans in start order (scripts/trace)
 *   GET /traces?limit=                   {requests}: the newest requests first, as the console lists them
 * A trace not kept is a 404 with the reason. Answers true when the route was one of these.
 */
export function telemetryRoute(space: Space, req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  if (req.method !== 'GET' || !(url.pathname === '/traces' || url.pathname.startsWith('/traces/'))) return false;
  const store = space.telemetry?.store;
  if (url.pathname === '/traces') {
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 100) || 100, 500);
    send(res, 200, { requests: store?.recent(limit) ?? [] });
    return true;
  }
  let id: string;
  try {
    id = decodeURIComponent(url.pathname.slice('/traces/'.length));
  } catch {
    send(res, 400, { error: { code: 'bad_id', message: 'the id is not URL-encoded text' } });
    return true;
  }
  const spans = store?.find(id);
  if (spans) {
    send(res, 200, { spans });
    return true;
  }
  send(res, 404, { error: { code: 'not_found', message: notKept(space, id) } });
  return true;
}

/** Why a trace is not there: the apps export elsewhere, or it is not (or no longer, or not yet) kept. */
function notKept(space: Space, id: string): string {
  // The endpoint itself is not repeated: it is npm start's to show, and may carry a tenant in its path.
  if (space.telemetry?.external)
    return `space ${space.name} keeps no app spans: its apps export to the OTEL_EXPORTER_OTLP_ENDPOINT of scripts/start's environment`;
  return `space ${space.name} keeps no trace for ${id} (it keeps recent traces only; spans arrive within a second of the response)`;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
