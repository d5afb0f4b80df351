import convict from 'convict';
import { ConfigError } from './errors';
import type { Env } from './vcap';

/**
 * A whole number from min to max. Only digits become a number: convict's own port, nat and
 * int formats use parseInt, which reads "8080x" as 8080 and "1.5" as 1 instead of refusing them.
 */
function wholeNumberFormat(min: number, max: number, expected: string): convict.Format {
  return {
    validate(value: unknown) {
      if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) throw new Error(expected);
    },
    coerce: (value: string) => (/^\d+$/.test(value) ? Number(value) : value),
  };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

convict.addFormats({
  'log-level': {
    validate(value: unknown) {
      if (!LOG_LEVELS.includes(value as LogLevel)) throw new Error(`expected one of ${LOG_LEVELS.join(', ')}`);
    },
  },
  'non-empty': {
    validate(value: unknown) {
      if (typeof value !== 'string' || value.trim() === '') throw new Error('expected a non-empty string');
    },
  },
  // convict 6 ships no URL format; the apps' links to each other are http(s) URLs.
  'http-url': {
    validate(value: unknown) {
      let protocol = '';
      try {
        protocol = new URL(String(value)).protocol;
      } catch {
        // reported below, as for any other scheme
      }
      if (protocol !== 'http:' && protocol !== 'https:') throw new Error('expected an http:// or https:// URL');
    },
  },
  'iso-time-or-empty': {
    validate(value: unknown) {
      if (value !== '' && (typeof value !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(Date.parse(value))))
        throw new Error('expected a time as ISO 8601 (2026-12-08T10:00:00Z), or nothing');
    },
  },
  'positive-int': wholeNumberFormat(1, Number.MAX_SAFE_INTEGER, 'expected a positive whole number'),
  'whole-number': wholeNumberFormat(0, Number.MAX_SAFE_INTEGER, 'expected a whole number (0 or more)'),
  'tcp-port': wholeNumberFormat(0, 65535, 'expected a port number from 0 to 65535'),
  // convict's Boolean takes every value but "false" as true, so a mistyped "no" or "0"
  // would quietly mean the opposite of what was meant.
  'true-or-false': {
    validate(value: unknown) {
      if (typeof value !== 'boolean') throw new Error('expected true or false');
    },
    coerce: (value: string) => (/^true$/i.test(value) ? true : /^false$/i.test(value) ? false : value),
  },
});

/** The settings every app has; an app's own schema spreads these in. */
export interface BaseSettings {
  port: number;
  host: string;
  logLevel: LogLevel;
  shutdownGraceMs: number;
  readinessTimeoutMs: number;
  redisTlsRejectUnauthorized: boolean;
  nodeEnv: string;
}

export const baseSchema: convict.Schema<BaseSettings> = {
  port: { doc: 'The port to listen on (both platforms set it)', format: 'tcp-port', default: 8080, env: 'PORT' },
  host: {
    doc: 'The interface to listen on (0.0.0.0 on a platform; 127.0.0.1 in tests)',
    format: 'non-empty',
    default: '0.0.0.0',
    env: 'HOST',
  },
  logLevel: { doc: 'The lowest level written to stdout', format: 'log-level', default: 'info', env: 'LOG_LEVEL' },
  shutdownGraceMs: {
    doc: 'How long in-flight requests may take after SIGTERM (Cloud Foundry kills 10 s after it, Heroku 30 s)',
    format: 'positive-int',
    default: 8000,
    env: 'SHUTDOWN_GRACE_MS',
  },
  readinessTimeoutMs: {
    doc: 'How long /ready waits for each backing service',
    format: 'positive-int',
    default: 1000,
    env: 'READINESS_TIMEOUT_MS',
  },
  redisTlsRejectUnauthorized: {
    doc: 'Check the certificate of a rediss:// Redis (Heroku Redis uses self-signed certificates: set false there)',
    format: 'true-or-false',
    default: true,
    env: 'REDIS_TLS_REJECT_UNAUTHORIZED',
  },
  nodeEnv: {
    doc: 'development or production; production refuses unsafe defaults',
    format: ['development', 'production', 'test'],
    default: 'development',
    env: 'NODE_ENV',
  },
};

/**
 * Loads a convict schema from the given environment (never process.env directly) and
 * validates it strictly. A bad value becomes one ConfigError line naming the variable.
 */
export function loadSettings<T>(schema: convict.Schema<T>, env: Env): T {
  let config: convict.Config<T>;
  try {
    config = convict(schema, { env: env as NodeJS.ProcessEnv, args: [] });
    config.validate({ allowed: 'strict' });
  } catch (error) {
    throw toConfigError(schema as Record<string, unknown>, (error as Error).message);
  }
  return config.getProperties() as T;
}

/** Rewrites convict's "key: problem: value was x" into "ENV_VAR: problem", hiding sensitive values. */
function toConfigError(schema: Record<string, unknown>, message: string): ConfigError {
  const firstLine = message.split('\n')[0] ?? message;
  const match = /^([\w.]+): (.*)$/.exec(firstLine);
  if (!match) return new ConfigError(`config: ${firstLine}`, 'config');
  const [, key = '', problem = ''] = match;
  const setting = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], schema) as
    { env?: string; sensitive?: boolean; format?: unknown } | undefined;
  const variable = setting?.env ?? key;
  const shown = setting?.sensitive ? problem.replace(/: value was .*$/, '') : problem;
  const expected = Array.isArray(setting?.format) ? ` (expected one of ${setting.format.join(', ')})` : '';
  return new ConfigError(`${variable}: ${shown}${expected}`, variable);
}
