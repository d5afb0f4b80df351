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
