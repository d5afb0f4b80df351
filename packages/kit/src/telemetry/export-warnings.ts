import type { Logger } from 'pino';

/** At most one warning a minute: an unreachable collector must not fill the app's log. */
export const WARN_INTERVAL_MS = 60_000;

export interface ExportWarnings {
  /** One failed export (or an SDK warning, such as spans dropped from a full queue): logged at warn unless a line was written within the interval. */
  failed(signal: string, error: unknown): void;
  /** The app's logger, once it has one; until then the line goes to stderr as JSON. */
  useLogger(logger: Logger): void;
}

/**
 * Says that telemetry cannot be sent, once per interval at most, with how many failures the
 * interval held. An export failing never reaches a request: the span processor and the
 * metric reader export in the background and drop what they cannot send (bounded queues).
 * The endpoint is named without its query string, and the headers (credentials) never.
 */
export function createExportWarnings(endpoint: URL, intervalMs = WARN_INTERVAL_MS, now: () => number = Date.now): ExportWarnings {
  let logger: Logger | undefined;
  let lastAt = -Infinity;
  let quiet = 0;
  const where = `${endpoint.origin}${endpoint.pathname}`;
  return {
    failed(signal, error) {
      const at = now();
      if (at - lastAt < intervalMs) {
        quiet += 1;
        return;
      }
      lastAt = at;
      const fields = { signal, endpoint: where, error: describe(error), failures: quiet + 1 };
      quiet = 0;
      const message = 'telemetry not exported (at most one such line a minute; requests are not affected)';
      if (logger) logger.warn(fields, message);
      else process.stderr.write(`${JSON.stringify({ level: 'warn', time: new Date(at).toISOString(), ...fields, msg: message })}\n`);
    },
    useLogger(next) {
      logger = next;
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
