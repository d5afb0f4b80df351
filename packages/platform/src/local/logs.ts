import { EventEmitter } from 'node:events';
import { prettyFactory } from 'pino-pretty';

/** One line of a space's merged log, as `cf logs` tags it. */
export interface LogRecord {
  time: string;
  app: string;
  /** "APP/PROC/WEB/0", "APP/PROC/WORKER/0", "RTR/0", "PLATFORM". */
  source: string;
  stream: 'OUT' | 'ERR';
  line: string;
}

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

  constructor(private readonly keep = 500) {
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
  /** Pretty-print JSON lines (a person at a terminal); otherwise the raw line. */
  pretty: boolean;
  color: boolean;
}

/**
 * `cf logs` style: `<time> <app> [APP/PROC/WEB/0] OUT <line>`. Pretty mode renders the
 * apps' pino JSON as one readable line, leaving out what the prefix already says.
 */
export function createFormatter(options: FormatOptions): (record: LogRecord) => string {
  const pretty = options.pretty
    ? prettyFactory({ colorize: options.color, singleLine: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,app,instance,version,commit,space' })
    : undefined;
  const dim = (text: string): string => (options.color ? `\u001b[2m${text}\u001b[22m` : text);
  return (record) => {
    const prefix = `${record.app} [${record.source}] ${record.stream}`;
    if (pretty && record.line.startsWith('{')) {
      try {
        JSON.parse(record.line);
        return `${dim(prefix)} ${pretty(record.line).trimEnd()}`;
      } catch {
        // not JSON after all: shown raw below
      }
    }
    return options.pretty ? `${dim(prefix)} ${record.line}` : `${record.time} ${prefix} ${record.line}`;
  };
}
