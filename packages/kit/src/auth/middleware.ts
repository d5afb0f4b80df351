import type { Middleware } from 'koa';
import { UnauthorizedError } from '../errors';
import type { Caller, TokenVerifier } from './verifier';

declare module 'koa' {
  interface DefaultState {
    caller?: Caller;
  }
}

export interface RequireAuthOptions {
  /**
   * Also accept the token as `?access_token=` or an `access_token` cookie: EventSource
   * cannot set headers. The access log never records query strings, so it stays out of logs.
   */
  allowQueryAndCookie?: boolean;
}

export const TOKEN_PARAMETER = 'access_token';
const BEARER = /^Bearer ([A-Za-z0-9_\-.]+)$/;

/** Takes the bearer token from the request, or says precisely what is wrong with how it was sent. */
export function extractToken(ctx: Parameters<Middleware>[0], options: RequireAuthOptions = {}): string {
  const header = ctx.get('Authorization');
  if (header !== '') {
    const match = BEARER.exec(header);
    if (!match?.[1]) throw new UnauthorizedError('expected "Authorization: Bearer <token>"', 'Bearer error="invalid_request"');
    return match[1];
  }
  if (options.allowQueryAndCookie) {
    const fromQuery = ctx.query[TOKEN_PARAMETER];
    if (typeof fromQuery === 'string' && fromQuery !== '') return fromQuery;
    const fromCookie = ctx.cookies.get(TOKEN_PARAMETER);
    if (fromCookie) return fromCookie;
  }
  throw new UnauthorizedError('authentication required: send a bearer token', 'Bearer');
}

/** Lets a request through only with a valid, unrevoked token; the caller lands in ctx.state.caller. */
export function requireAuth(verify: TokenVerifier, options: RequireAuthOptions = {}): Middleware {
  return async (ctx, next) => {
    ctx.state.caller = await verify(extractToken(ctx, options));
    await next();
  };
}
