import type { Context } from 'koa';
import pino, { type Logger } from 'pino';
import type { HttpMetrics } from './metrics';

/** Unmatched paths share one label and one log value, so scanners cannot blow up either. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** What one access line says about a request. */
export interface AccessFields {
  requestId: string;
  method: string;
  route: string;
  path: string;
  status: number;
  durationMs: number;
  bytes: number;
}

export type AccessLineWriter = (fields: AccessFields) => void;

const INFO = 30;
const { chindingsSym, lsCacheSym, mixinSym, hooksSym, streamSym, timeSym, needsMetadataGsym } = pino.symbols;
// In pino.symbols at run time, missing from its type declarations.
const { msgPrefixSym, mixinMergeStrategySym } = pino.symbols as unknown as Record<'msgPrefixSym' | 'mixinMergeStrategySym', symbol>;
type Mixin = (object: object, level: number, logger: Logger) => Record<string, unknown>;

/**
 * Writes access lines for a logger. They are the one line every request writes, so
 * they are put together here from fields whose shape is known, instead of through pino's
 * generic serializer: that walk over the object was the largest part of the kit's own cost
 * per request (bench/kit). The line is byte for byte the one `logger.info(fields, 'request')`
 * writes (same level and time format, same bindings, same field order), and goes to the
 * logger's own stream. A mixin (the OpenTelemetry pino instrumentation's trace_id, span_id
 * and trace_flags) is written where pino writes it, after the bindings, when it gives flat
 * strings, numbers or booleans; a logger with hooks, a message prefix, its own mixin merge or
 * a stream that needs pino's metadata (a multistream), and a mixin giving anything else, gets
 * its lines through pino as usual.
 */
export function accessLineWriter(logger: Logger): AccessLineWriter {
  const internals = logger as unknown as Record<symbol, unknown>;
  const stream = internals[streamSym] as { write(line: string): void; [key: symbol]: unknown };
  const hooks = internals[hooksSym] as { logMethod?: unknown; streamWrite?: unknown } | undefined;
  const plain =
    !hooks?.logMethod && !hooks?.streamWrite && !internals[msgPrefixSym] && !internals[mixinMergeStrategySym] && !stream[needsMetadataGsym];
  const throughPino = (fields: AccessFields): void =>
    logger.info(
      {
        request_id: fields.requestId,
        method: fields.method,
        route: fields.route,
        path: fields.path,
        status: fields.status,
        duration_ms: round(fields.durationMs),
        bytes: fields.bytes,
      },
      'request',
    );
  if (!plain) return throughPino;
  const levelPrefix = (internals[lsCacheSym] as Record<number, string>)[INFO];
  const time = internals[timeSym] as () => string;
  const mixin = internals[mixinSym] as Mixin | undefined;
  return (fields) => {
    if (logger.levelVal > INFO) return;
    let mixed = '';
    if (mixin !== undefined) {
      const flat = flatFields(mixin({}, INFO, logger));
      if (flat === undefined) return throughPino(fields);
      mixed = flat;
    }
    // The request id is [A-Za-z0-9+/=-] or a UUID, and Node accepts only token characters
    // in a method: neither needs escaping. Route and path may hold anything.
    stream.write(
      `${levelPrefix}${time()}${internals[chindingsSym] as string}${mixed},"request_id":"${fields.requestId}","method":"${fields.method}",` +
        `"route":${jsonString(fields.route)},"path":${jsonString(fields.path)},"status":${fields.status},` +
        `"duration_ms":${round(fields.durationMs)},"bytes":${fields.bytes},"msg":"request"}\n`,
    );
  };
}

/** A mixin's fields as pino writes them (`,"key":value`), or undefined when one is not a plain string, finite number or boolean, or would clash with the line's own. */
function flatFields(fields: Record<string, unknown>): string | undefined {
  let text = '';
  for (const key in fields) {
    const value = fields[key];
    if (!plainKey(key)) return undefined;
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      text += `,"${key}":${JSON.stringify(value)}`;
    } else if (value !== undefined) return undefined;
  }
  return text;
}

const OWN_KEYS = new Set(['request_id', 'method', 'route', 'path', 'status', 'duration_ms', 'bytes', 'msg', 'level', 'time']);
// A mixin gives the same few keys on every line: each is checked once.
const keyChecks = new Map<string, boolean>();
function plainKey(key: string): boolean {
  let plain = keyChecks.get(key);
  if (plain === undefined) {
    plain = /^[A-Za-z0-9_.]+$/.test(key) && !OWN_KEYS.has(key);
    if (keyChecks.size < 64) keyChecks.set(key, plain);
  }
  return plain;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

const C1_OR_DEL = /[\u007f-\u009f]/g;
/**
 * A JSON string with DEL and the C1 controls (U+007F to U+009F) escaped like the C0 ones,
 * which JSON.stringify (and pino) leave as they are: a terminal showing the line may act on
 * them (U+009B starts a control sequence as ESC [ does). Otherwise the same bytes as pino's.
 */
export function jsonString(value: string): string {
  return JSON.stringify(value).replace(C1_OR_DEL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * One access line per request (method, matched route, path without its query string,
 * status, duration, bytes) and the duration histogram. The query string is left out:
 * it is where clients that cannot set headers put tokens.
 */
export function writeAccessLine(write: AccessLineWriter, metrics: HttpMetrics, ctx: Context, durationMs: number, bytes: number): void {
  const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? UNMATCHED_ROUTE;
  const status = ctx.status;
  const method = ctx.method;
  metrics.observe(route, method, status, durationMs / 1000);
  write({ requestId: ctx.requestId, method, route, path: ctx.path, status, durationMs, bytes });
}

/**
 * A platform probe's answer (probes.ts): counted in the histogram like any request, and
 * logged at debug only, so a healthy instance's log holds its real requests.
 */
export function writeProbeLine(logger: Logger, metrics: HttpMetrics, ctx: Context, durationMs: number, bytes: number): void {
  const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? UNMATCHED_ROUTE;
  metrics.observe(route, ctx.method, ctx.status, durationMs / 1000);
  if (!logger.isLevelEnabled('debug')) return;
  logger.debug(
    {
      request_id: ctx.requestId,
      method: ctx.method,
      route,
      path: ctx.path,
      status: ctx.status,
      duration_ms: round(durationMs),
      bytes,
      probe: true,
    },
    'request',
  );
}
