import type { IncomingMessage } from 'node:http';

/** What the access line needs to know about how a request went. */
export interface AccessFacts {
  status: number;
  /** The response's declared length, when the app declared one. */
  bytes?: number;
  backend?: { port: number; index: number };
  /** The client's "address:port". */
  peer: string;
  requestId: string;
  seconds: number;
  routerError?: string;
}

/**
 * gorouter's access line, shortened: what `cf logs` shows as [RTR/0]. The URL is logged
 * without its query string (credentials and personal data travel there), and every value
 * a client chose is quoted with JSON's escapes, so none can close a field and forge
 * another (`" "level":"fatal"`) or start a new line. (Node has already refused a
 * Content-Length that is not digits.)
 */
export function accessLine(req: IncomingMessage, facts: AccessFacts, time: string): string {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const backend = facts.backend ? `"127.0.0.1:${facts.backend.port}"` : '"-"';
  const routerError = facts.routerError ? ` x_cf_routererror:${quote(facts.routerError)}` : '';
  const headers = req.headers;
  return (
    `${quote(headers.host ?? '-')} - [${time}] ${quote(`${req.method ?? '-'} ${path} HTTP/${req.httpVersion}`)} ${facts.status} ` +
    `${headers['content-length'] ?? 0} ${facts.bytes ?? '-'} ${quote(headers.referer ?? '-')} ${quote(headers['user-agent'] ?? '-')} ` +
    `"${facts.peer}" ${backend} x_forwarded_for:${quote(headers['x-forwarded-for'] ?? '-')} ` +
    `x_forwarded_proto:${quote(headers['x-forwarded-proto'] ?? 'http')} response_time:${facts.seconds.toFixed(6)} app_index:"${facts.backend?.index ?? '-'}" ` +
    `x_request_id:${quote(facts.requestId)}${routerError}`
  );
}

/**
 * A double-quoted field with JSON's escapes (\" \\ \n \u0000...), and DEL and the C1
 * controls (U+007F to U+009F) escaped like the C0 ones: JSON leaves them as they are, a
 * header's bytes 0x80 to 0x9F arrive as them (Node reads headers as Latin-1), and a
 * terminal showing the line may act on them (U+009B starts a control sequence as ESC [ does).
 */
function quote(value: string | string[]): string {
  return JSON.stringify(Array.isArray(value) ? value.join(',') : value).replace(C1_OR_DEL, escapeControl);
}

const C1_OR_DEL = /[\u007f-\u009f]/g;
const escapeControl = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
