import parse from 'co-body';
import type { Context } from 'koa';
import { AppError, ValidationError } from '../errors';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body; undefined when the request had none. */
    body?: unknown;
  }
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when the request carries a body to parse (a GET never does here). */
export function requestHasBody(ctx: Context): boolean {
  if (!METHODS_WITH_BODY.has(ctx.method)) return false;
  const length = ctx.headers['content-length'];
  return ctx.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Parses a JSON body: a body in another type is 415, over the limit 413, malformed 400. */
export async function readJsonBody(ctx: Context, limit: string): Promise<unknown> {
  if (!ctx.is('application/json', '+json')) {
    throw new AppError(415, 'unsupported_media_type', `expected Content-Type: application/json, got ${ctx.get('Content-Type') || 'none'}`);
  }
  try {
    return await parse.json(ctx.req, { limit, strict: true });
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 413) throw new AppError(413, 'payload_too_large', `the body is over the ${limit} limit`, { cause: error });
    if (status === 400) throw new ValidationError(`malformed JSON body: ${(error as Error).message}`);
    throw error;
  }
}
