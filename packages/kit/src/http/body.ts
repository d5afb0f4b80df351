import parse from 'co-body';
import type { Middleware } from 'koa';
import { AppError, ValidationError } from '../errors';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body; undefined when the request had none. */
    body?: unknown;
  }
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Parses JSON bodies: a body in another type is 415, over the limit 413, malformed 400.
 * A request without a body passes with `ctx.request.body` undefined.
 */
export function jsonBody(limit: string): Middleware {
  return async (ctx, next) => {
    if (METHODS_WITH_BODY.has(ctx.method) && hasBody(ctx.headers)) {
      if (!ctx.is('application/json', '+json')) {
        throw new AppError(415, 'unsupported_media_type', `expected Content-Type: application/json, got ${ctx.get('Content-Type') || 'none'}`);
      }
      try {
        ctx.request.body = await parse.json(ctx.req, { limit, strict: true });
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 413) throw new AppError(413, 'payload_too_large', `the body is over the ${limit} limit`, { cause: error });
        if (status === 400) throw new ValidationError(`malformed JSON body: ${(error as Error).message}`);
        throw error;
      }
    }
    await next();
  };
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
