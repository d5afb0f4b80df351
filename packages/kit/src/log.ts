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
    stream ?? pino.destination({ dest: 1, sync: true }),
  );
}
