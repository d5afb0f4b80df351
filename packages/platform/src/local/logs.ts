import { EventEmitter } from 'node:events';
import type { LogRecord } from './log-record';
import { prettyLine } from './pretty';

export type { LogRecord } from './log-record';

let cachedSecond = -1;
let cachedPrefix = '';

/**
 * Now, as the ISO time of a log record. The router writes a record per request and every
 * app line becomes one, so the part up to the second is formatted once per second.
 */
export function logTime(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20); // up to "ss."
  }
  const ms = now - second * 1000;
  return `${cachedPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}

/** Keeps the last lines for a late `scripts/logs` and hands every new one to listeners. */
export class LogHub extends EventEmitter {
  private readonly recent: LogRecord[] = [];

  // Enough for `scripts/logs --request` to find a request of the last minutes: probe lines no longer fill it.
  constructor(private readonly keep = 5000) {
    super();
    this.setMaxListeners(0);
  }

  write(record: LogRecord): void {
    this.recent.push(record);
    if (this.recent.length > this.keep) this.recent.shift();
    this.emit('line', record);
  }

  history(app?: string): LogRecord[] {
    return this.recent.filter((record) => app === undefined || record.app === app);
  }
}

/** Splits a child's output into lines, holding a partial line until its newline arrives. */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer): void; end(): void } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk.toString('utf8');
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        const line = pending.slice(0, newline).replace(/\r$/, '');
        if (line !== '') onLine(line);
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    },
    end() {
      if (pending !== '') onLine(pending);
      pending = '';
    },
  };
}

export interface FormatOptions {
  /** One readable line per record (a person at a terminal, pretty.ts); otherwise the raw line. */
  pretty: boolean;
  color: boolean;
}

/**
 * Pretty: `12:00:01.234 INFO  users/0  <message>  req=<id>` (pretty.ts). Raw (--json, or
 * not a terminal): `cf logs` style, `<time> <app> [APP/PROC/WEB/0] OUT <line>` with the
 * app's JSON line as it came.
 */
export function createFormatter(options: FormatOptions): (record: LogRecord) => string {
  if (options.pretty) return (record) => prettyLine(record, options.color);
  return (record) => `${record.time} ${record.app} [${record.source}] ${record.stream} ${record.line}`;
}
