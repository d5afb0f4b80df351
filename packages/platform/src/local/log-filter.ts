import type { LogRecord } from './log-record';

/** pino's levels: what `scripts/logs --level` takes. */
export const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

const INFO = 30;
const WARN = 40;
const ERROR = 50;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "10m", "30s", "2h", "1d", "500ms" in milliseconds; undefined when it is none of those. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  return match ? Number(match[1]) * (UNIT_MS[match[2] as string] ?? 0) : undefined;
}

/** The router's access line ends with x_request_id:"<id>" (router/access-line.ts). */
const ROUTER_ID = /x_request_id:"([^"]*)"/;
/** ... "GET /path HTTP/1.1" <status> ... */
const ROUTER_STATUS = /"[A-Z]+ [^"]* HTTP\/[\d.]+" (\d{3}) /;
/** Platform lines that tell of something going wrong with an instance. */
const PLATFORM_TROUBLE = /failed|exited|crash|killed|not ready|out of rotation|was not ready/i;

function json(record: LogRecord): Record<string, unknown> | undefined {
  if (!record.line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(record.line);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The request id a line carries: an app's `request_id` field, or the router's x_request_id. */
export function requestIdOf(record: LogRecord): string | undefined {
  const fields = json(record);
  if (fields) return typeof fields.request_id === 'string' ? fields.request_id : undefined;
  return ROUTER_ID.exec(record.line)?.[1];
}

/**
 * A line's level: the app's pino level; for the router, error on a 5xx and info
 * otherwise; for the platform, warn when it tells of a crash, a failed check or a kill;
 * any other line info, or warn on stderr.
 */
export function levelOf(record: LogRecord): number {
  const fields = json(record);
  if (fields && typeof fields.level === 'number') return fields.level;
  if (fields && typeof fields.level === 'string') return LEVELS[fields.level] ?? INFO;
  if (record.source.startsWith('RTR')) return Number(ROUTER_STATUS.exec(record.line)?.[1] ?? 0) >= 500 ? ERROR : INFO;
  if (record.source.startsWith('API') || record.source === 'PLATFORM') return PLATFORM_TROUBLE.test(record.line) ? WARN : INFO;
  return record.stream === 'ERR' ? WARN : INFO;
}

export interface LogFilter {
  app?: string;
  /** Only lines carrying this request id (router and apps). */
  requestId?: string;
  /** Only lines at this level or above. */
  level?: number;
  /** Only lines from this ISO time on. */
  since?: string;
}

export function matches(record: LogRecord, filter: LogFilter): boolean {
  if (filter.app !== undefined && record.app !== filter.app) return false;
  if (filter.since !== undefined && timeOf(record) < filter.since) return false;
  if (filter.requestId !== undefined && requestIdOf(record) !== filter.requestId) return false;
  if (filter.level !== undefined && levelOf(record) < filter.level) return false;
  return true;
}

/**
 * When a line was written: an app's own ISO `time` (its lines reach the supervisor through a
 * pipe, a little later than the router's), else when the supervisor received it.
 */
export function timeOf(record: LogRecord): string {
  const time = json(record)?.time;
  return typeof time === 'string' && time.length === record.time.length ? time : record.time;
}

const RESPONSE_TIME = /response_time:([\d.]+)/;

/** How long the request an access line tells of took, in ms (0 for other lines). */
function durationOf(record: LogRecord): number {
  const fields = json(record);
  if (fields) return typeof fields.duration_ms === 'number' && fields.msg === 'request' ? fields.duration_ms : 0;
  const seconds = record.source.startsWith('RTR') ? RESPONSE_TIME.exec(record.line)?.[1] : undefined;
  return seconds === undefined ? 0 : Number(seconds) * 1000;
}

/**
 * The lines that pass, in the order they were written. Lines of the same millisecond go
 * shortest first: an access line is written when its request ends, and a request that
 * calls another (the router the app, tokens the users app) ends after the one it called.
 */
export function filterLogs(records: LogRecord[], filter: LogFilter): LogRecord[] {
  return records
    .filter((record) => matches(record, filter))
    .map((record) => [timeOf(record), durationOf(record), record] as const)
    .sort(([a, da], [b, db]) => (a < b ? -1 : a > b ? 1 : da - db))
    .map(([, , record]) => record);
}

/**
 * What `scripts/logs --recent` and `--request` print: the lines that pass, in the order
 * filterLogs sorts them, each with the time it was sorted by (timeOf: an app's own time), so
 * the printed times read in order whatever the format (a pipe's raw line, --json).
 */
export function recentLines(records: LogRecord[], filter: LogFilter): LogRecord[] {
  return filterLogs(records, filter).map((record) => ({ ...record, time: timeOf(record) }));
}

/** The line `scripts/logs --request <id>` ends with when no line has that id (exit 1). */
export const noLinesFor = (requestId: string): string =>
  `no lines for that id: no line of request ${requestId} in the last lines the space keeps`;
