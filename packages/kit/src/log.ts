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
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    stream ?? bufferedStdout(),
  );
}

/** How long a log line may wait in the buffer before it is written. */
export const LOG_FLUSH_INTERVAL_MS = 100;

/**
 * stdout, written in blocks of up to 4 kB rather than one system call per line: under
 * load the access lines alone would otherwise cost more than the request (bench/kit).
 * A timer writes whatever is waiting every LOG_FLUSH_INTERVAL_MS, and the rest is written
 * when the process exits, however it exits.
 */
function bufferedStdout(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: true, minLength: 4096 });
  setInterval(() => destination.flush(), LOG_FLUSH_INTERVAL_MS).unref();
  // Whatever ends the process (exit, a crash), the last lines are the ones that matter.
  process.once('exit', () => destination.flushSync());
  return destination;
}
