import { timeOf } from './log-filter';
import type { LogRecord } from './log-record';

/** Fields every app line carries that the "who" column says already, or that a person does not need. */
const BINDINGS = new Set(['level', 'time', 'pid', 'hostname', 'app', 'instance', 'version', 'commit', 'space', 'msg', 'request_id']);
const ACCESS = new Set(['method', 'route', 'path', 'status', 'duration_ms', 'bytes']);
const LABELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLORS: Record<string, number> = { TRACE: 90, DEBUG: 90, INFO: 32, WARN: 33, ERROR: 31, FATAL: 35 };
const ROUTER =
  /^"[^"]*" - \[[^\]]*\] "([A-Z]+ [^"]*) HTTP\/[\d.]+" (\d{3}) .*response_time:([\d.]+) app_index:"([^"]*)" x_request_id:"([^"]*)"(?: x_cf_routererror:"([^"]*)")?/;

/**
 * One line for a person: `12:00:01.234 INFO  users/0    GET /api/users 201 3.1 ms  req=<id>`:
 * time, level, app/instance, message (an access line as method, path, status, duration;
 * other fields as key=value) and the request id, the thread between the router's line and
 * the apps'. Lines that are not JSON are shown as they came.
 */
export function prettyLine(record: LogRecord, color: boolean): string {
  const paint = (code: number, text: string): string => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const time = timeOf(record).slice(11, 23);
  const fields = parseJson(record.line);
  let level: string;
  let message: string;
  let requestId: string | undefined;
  if (fields) {
    level =
      typeof fields.level === 'number' ? (LABELS[fields.level] ?? String(fields.level)) : String(fields.level ?? 'INFO').toUpperCase();
    const access = fields.msg === 'request' && fields.method !== undefined;
    message = access
      ? `${String(fields.method)} ${String(fields.path)} ${String(fields.status)} ${String(fields.duration_ms)} ms`
      : String(fields.msg ?? '');
    const rest = Object.entries(fields).filter(([key]) => !BINDINGS.has(key) && !(access && ACCESS.has(key)));
    if (rest.length > 0) message += `  ${rest.map(([key, value]) => `${key}=${show(value)}`).join(' ')}`;
    requestId = typeof fields.request_id === 'string' ? fields.request_id : undefined;
  } else if (record.source.startsWith('RTR')) {
    const match = ROUTER.exec(record.line);
    level = Number(match?.[2] ?? 0) >= 500 ? 'ERROR' : 'INFO';
    message = match
      ? `${match[1]} ${match[2]} ${(Number(match[3]) * 1000).toFixed(1)} ms -> ${record.app}/${match[4]}${match[6] ? ` (${match[6]})` : ''}`
      : record.line;
    requestId = match?.[5];
  } else {
    level = record.stream === 'ERR' ? 'WARN' : 'INFO';
    // The platform's lines are about an app's instance: say which app.
    message = whoOf(record) === 'platform' ? `${record.app} ${record.line}` : record.line;
  }
  const who = whoOf(record).padEnd(17);
  const label = paint(COLORS[level] ?? 0, level.padEnd(5));
  return `${paint(2, time)} ${label} ${paint(36, who)} ${message}${requestId ? `  ${paint(2, `req=${requestId}`)}` : ''}`;
}

/** "users/0", "messages/worker/0", "router", "platform". */
export function whoOf(record: LogRecord): string {
  const proc = /^APP\/PROC\/([A-Z0-9_-]+)\/(\d+)$/.exec(record.source);
  if (proc) return proc[1] === 'WEB' ? `${record.app}/${proc[2]}` : `${record.app}/${(proc[1] ?? '').toLowerCase()}/${proc[2]}`;
  if (record.source.startsWith('RTR')) return 'router';
  return 'platform';
}

function parseJson(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value !== null && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') {
    const err = value as { message: string; stack?: unknown };
    return `${JSON.stringify(err.message)}${typeof err.stack === 'string' ? `\n    ${err.stack.split('\n').slice(1).join('\n    ').trim()}` : ''}`;
  }
  return JSON.stringify(value);
}
