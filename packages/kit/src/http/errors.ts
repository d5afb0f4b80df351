import type { Context } from 'koa';
import { AppError, ServiceUnavailableError } from '../errors';
import { isPostgresUnavailable } from '../postgres/errors';
import { isRedisUnavailable } from '../redis-errors';

/**
 * Maps every error to `{"error":{"code","message","request_id"}}` in one place. Expected
 * errors (4xx) are never logged with a stack; unexpected ones (5xx) are logged once.
 */
export function respondWithError(ctx: Context, caught: unknown): void {
  const error = toAppError(caught);
  if (error.status === 503) {
    // An outage is expected and already logged once by its client: a warning per
    // request, without a stack, keeps a long outage from flooding the logs.
    ctx.log.warn({ status: 503, reason: (caught as Error).message }, error.message);
  } else if (error.status >= 500) {
    ctx.log.error({ err: caught }, error.expose ? error.message : 'unexpected error');
  }
  if (ctx.headerSent) return; // a stream already started: nothing more can be said
  ctx.status = error.status;
  for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
  ctx.body = {
    error: {
      code: error.code,
      message: error.expose ? error.message : 'internal error',
      request_id: ctx.requestId,
      ...error.details,
    },
  };
}

/** The code a bare Koa/co-body HTTP error gets, by status; any other 4xx is `bad_request`. */
const CODES_BY_STATUS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  431: 'headers_too_large',
};

/** Errors from Koa, co-body, ioredis and node-postgres become typed errors; anything else is a 500. */
export function toAppError(caught: unknown): AppError {
  if (caught instanceof AppError) return caught;
  if (isRedisUnavailable(caught) || isPostgresUnavailable(caught))
    return new ServiceUnavailableError('a backing service is unavailable, try again shortly', { cause: caught });
  const error = caught as
    { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown; type?: unknown } | null | undefined;
  const status = typeof error?.status === 'number' ? error.status : typeof error?.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    const message = error?.type === 'entity.parse.failed' ? 'malformed JSON body' : String(error?.message ?? 'bad request');
    return new AppError(status, CODES_BY_STATUS[status] ?? 'bad_request', message, { cause: caught });
  }
  return new AppError(500, 'internal_error', 'internal error', { cause: caught, expose: false });
}
