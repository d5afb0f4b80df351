import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppIdentity } from './config/application';
import type { LogLevel } from './config/settings';

export type { Logger } from 'pino';

/** What never reaches a log line: credentials in headers, bodies and errors. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-service-key"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
];

/**
 * The app's logger: plain pino writing one JSON object per line to stdout (or the
 * given stream, as tests do), with app, instance and version on every line.
 */
export function createLogger(identity: Pick<AppIdentity, 'app' | 'instance' | 'version'>, level: LogLevel = 'info', stream?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: identity.app, instance: identity.instance, version: identity.version },
      messageKey: 'msg',
      timestamp: isoTimestamp,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    stream ?? bufferedStdout(),
  );
}

/**
 * pino's isoTime, but the date and time up to the second is formatted once per second:
 * `new Date().toISOString()` on every line was a tenth of an access line's cost (bench/kit).
 */
let cachedSecond = -1;
let cachedPrefix = '';
function isoTimestamp(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = `,"time":"${new Date(second * 1000).toISOString().slice(0, 20)}`; // up to "ss."
  }
  const ms = now - second * 1000;
  return `${cachedPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`;
}

/** How long a log line may wait in the buffer before it is written. */
export const LOG_FLUSH_INTERVAL_MS = 100;
/** Lines are handed to the file descriptor in blocks of about this many characters. */
const BLOCK_LENGTH = 16384;

/**
 * stdout, written in blocks of about 16 kB rather than one system call per line: under
 * load the access lines alone would otherwise cost more than the request (bench/kit).
 * The lines are joined here and sonic-boom gets one block at a time: its own minLength
 * buffering measures the UTF-8 length of its whole buffer on every line.
 * A timer writes whatever is waiting every LOG_FLUSH_INTERVAL_MS, and the rest is written
 * when the process exits, however it exits.
 */
function bufferedStdout(): DestinationStream & { flush(cb?: (error?: Error) => void): void } {
  const destination = pino.destination({ dest: 1, sync: true });
  let pending = '';
  const writePending = (): void => {
    if (pending === '') return;
    const block = pending;
    pending = '';
    destination.write(block);
  };
  setInterval(writePending, LOG_FLUSH_INTERVAL_MS).unref();
  // Whatever ends the process (exit, a crash), the last lines are the ones that matter.
  process.once('exit', () => {
    writePending();
    destination.flushSync();
  });
  return {
    write(line: string) {
      pending += line;
      if (pending.length >= BLOCK_LENGTH) writePending();
    },
    // logger.flush(cb) (boot and lifecycle, before exiting 1) writes what is waiting.
    flush(cb) {
      writePending();
      destination.flush(cb);
    },
  };
}
