import parse from 'co-body';
import type { Context, Middleware } from 'koa';
import { AppError, ValidationError } from '../errors';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body (jsonBody); undefined when the request had none. */
    body?: unknown;
    /** The body's bytes, decoded from its Content-Encoding (rawBody); undefined when the request had none. */
    rawBody?: Buffer;
  }
}

/** The largest body jsonBody and rawBody read unless a route says otherwise. */
export const DEFAULT_BODY_LIMIT = '100kb';

export interface BodyOptions {
  /** Largest body accepted once decoded (co-body syntax: '16kb'); 413 above it. */
  limit?: string;
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when the request carries a body to read (a GET never does here). */
export function requestHasBody(ctx: Context): boolean {
  if (!METHODS_WITH_BODY.has(ctx.method)) return false;
  const length = ctx.headers['content-length'];
  return ctx.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Parses a JSON body into `ctx.request.body` (read it with requestBody(ctx)). It belongs
 * on the routes that take one, after their auth: nothing is read for a caller the route
 * refuses, and a route that wants raw bytes or a form uses rawBody or its own parser.
 */
export function jsonBody(options: BodyOptions = {}): Middleware {
  const limit = options.limit ?? DEFAULT_BODY_LIMIT;
  return async (ctx, next) => {
    if (requestHasBody(ctx)) ctx.request.body = await readJsonBody(ctx, limit);
    await next();
  };
}

/** Reads the body as bytes into `ctx.request.rawBody` (a webhook checking a signature, say); any content type. */
export function rawBody(options: BodyOptions = {}): Middleware {
  const limit = options.limit ?? DEFAULT_BODY_LIMIT;
  return async (ctx, next) => {
    if (requestHasBody(ctx)) ctx.request.rawBody = await readBytes(ctx, limit, 'body');
    await next();
  };
}

/** The body jsonBody parsed; typed here because the kit's Koa augmentation may not reach an app's compiler. */
export function requestBody(ctx: Pick<Context, 'request'>): unknown {
  return (ctx.request as { body?: unknown }).body;
}

/** Decodes UTF-8 and refuses what is not (a decoder that replaced bad bytes with U+FFFD would store text the client never sent). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a JSON body: a body in another type, or in a charset other than UTF-8 (the only one
 * JSON has, RFC 8259 8.1), is 415; over the limit 413; bytes that are not UTF-8, or JSON that
 * is malformed or not an object or an array, 400.
 */
export async function readJsonBody(ctx: Context, limit: string): Promise<unknown> {
  if (!ctx.is('application/json', '+json')) {
    throw new AppError(415, 'unsupported_media_type', `expected Content-Type: application/json, got ${ctx.get('Content-Type') || 'none'}`);
  }
  const charset = ctx.request.charset.toLowerCase();
  if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') {
    throw new AppError(415, 'unsupported_media_type', `JSON is read as UTF-8 only (RFC 8259), got charset=${ctx.request.charset}`);
  }
  const bytes = await readBytes(ctx, limit, 'JSON body');
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new ValidationError('malformed JSON body: it is not valid UTF-8');
  }
  if (text === '') return {}; // an empty chunked body, as co-body's strict parser gave it
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') throw new ValidationError('malformed JSON body: expected an object or an array');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValidationError(`malformed JSON body: ${(error as Error).message}`);
  }
}

/** The body's bytes, decoded from its Content-Encoding (readBody's errors). */
async function readBytes(ctx: Context, limit: string, what: string): Promise<Buffer> {
  // encoding: false makes raw-body hand back a Buffer; co-body's types only know strings.
  const options = { limit, encoding: false } as unknown as parse.Options;
  return (await readBody(limit, what, () => parse.text(ctx.req, options))) as unknown as Buffer;
}

/**
 * Reads a body, turning what can go wrong into typed errors: over the limit 413; an
 * encoding other than identity, gzip, deflate or br 415; bytes that are not what their
 * Content-Encoding says (zlib and brotli errors), a malformed body or a short one 400.
 */
async function readBody<T>(limit: string, what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const { status, code, message } = error as { status?: number; code?: unknown; message?: string };
    if (status === 413) throw new AppError(413, 'payload_too_large', `the body is over the ${limit} limit`, { cause: error });
    if (status === 415) {
      throw new AppError(415, 'unsupported_media_type', `${message ?? 'unsupported Content-Encoding'} (identity, gzip, deflate or br)`, {
        cause: error,
      });
    }
    if (typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__ERROR_'))) {
      throw new ValidationError('the body is not valid data for its Content-Encoding');
    }
    if (status === 400) throw new ValidationError(`malformed ${what}: ${message ?? 'unreadable'}`);
    throw error;
  }
}
