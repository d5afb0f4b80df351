// A leaf: what logs.ts, pretty.ts and log-filter.ts share, so none of them imports another for it.
/** One line of a space's merged log, as `cf logs` tags it. */
export interface LogRecord {
  time: string;
  app: string;
  /** "APP/PROC/WEB/0", "APP/PROC/WORKER/0", "RTR/0", "PLATFORM". */
  source: string;
  stream: 'OUT' | 'ERR';
  line: string;
}
