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
export function createLogger(
  identity: Pick<AppIdentity, 'app' | 'instance' | 'version'>,
  level: LogLevel = 'info',
  stream?: DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { app: identity.app, instance: identity.instance, version: identity.version },
      messageKey: 'msg',
      timestamp: isoTimestamp,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    stream ?? sharedStdout(),
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
/** Lines are handed to the file descriptor in blocks of up to this many bytes: here a system call costs far more than the bytes it carries. */
const BLOCK_BYTES = 65536;

let stdout: ReturnType<typeof bufferedStdout> | undefined;
/** One buffered stdout per process: every logger's lines keep their order, and one exit hook writes the rest. */
function sharedStdout(): ReturnType<typeof bufferedStdout> {
  stdout ??= bufferedStdout();
  return stdout;
}

/**
 * stdout, written in blocks of up to 64 kB rather than one system call per line: under
 * load the access lines alone would otherwise cost more than the request (bench/kit).
 * Each line is encoded straight into the block's buffer as it comes: joining the lines
 * into one long string and encoding that at write time (twice, in sonic-boom's string
 * mode) cost tens of microseconds per block. sonic-boom does the writing (partial writes,
 * a busy pipe). A timer writes whatever is waiting every LOG_FLUSH_INTERVAL_MS, and the
 * rest is written when the process exits, however it exits.
 */
function bufferedStdout(): DestinationStream & { flush(cb?: (error?: Error) => void): void } {
  const destination = pino.destination({ dest: 1, sync: true, contentMode: 'buffer', maxWrite: BLOCK_BYTES });
  // One block, reused: in sync mode sonic-boom has written all of it (retrying a busy
  // pipe) before write returns. A new block per write made RSS grow with the log volume.
  const block = Buffer.allocUnsafeSlow(BLOCK_BYTES);
  let used = 0;
  const writePending = (): void => {
    if (used === 0) return;
    const full = block.subarray(0, used);
    used = 0;
    destination.write(full as unknown as string);
  };
  setInterval(writePending, LOG_FLUSH_INTERVAL_MS).unref();
  // Whatever ends the process (exit, a crash), the last lines are the ones that matter.
  process.once('exit', () => {
    writePending();
    destination.flushSync();
  });
  return {
    write(line: string) {
      // A UTF-16 unit takes at most 3 bytes in UTF-8.
      if (used + line.length * 3 > BLOCK_BYTES) {
        writePending();
        if (line.length * 3 > BLOCK_BYTES) {
          destination.write(Buffer.from(line) as unknown as string);
          return;
        }
      }
      used += block.write(line, used);
    },
    // logger.flush(cb) (boot and lifecycle, before exiting 1) writes what is waiting.
    flush(cb) {
      writePending();
      destination.flush(cb);
    },
  };
}
