import type { Middleware } from 'koa';
import { AppError, UnauthorizedError } from '../errors';
import type { Caller, TokenVerifier } from './verifier';

declare module 'koa' {
  interface DefaultState {
    caller?: Caller;
  }
}

/** The query parameter some clients put a token in (RFC 6750 section 2.3): refused, never read. */
export const TOKEN_PARAMETER = 'access_token';
/** RFC 6750 2.1 and RFC 9110 11.4: the scheme in any letter case, one or more spaces, a token68. */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * A credential came in the URL. URLs are written down by every router, proxy and browser
 * history on the way, so the token is as good as leaked: the request is refused (400, so
 * no client mistakes it for an expired token and retries the same URL) and the token is
 * never read, echoed or logged.
 */
export class TokenInUrlError extends AppError {
  override readonly name = 'TokenInUrlError';
  constructor() {
    super(
      400,
      'token_in_url',
      `a token must not travel in the URL (?${TOKEN_PARAMETER}=): routers and proxies log URLs; send "Authorization: Bearer <token>"`,
      {
        details: { field: TOKEN_PARAMETER },
      },
    );
  }
}

/** Takes the bearer token from the Authorization header, or says precisely what is wrong with how it was sent. */
export function extractToken(ctx: Parameters<Middleware>[0]): string {
  if (Object.hasOwn(ctx.query, TOKEN_PARAMETER)) throw new TokenInUrlError();
  const header = ctx.get('Authorization');
  if (header !== '') {
    const match = BEARER.exec(header);
    if (!match?.[1]) throw new UnauthorizedError('expected "Authorization: Bearer <token>"', 'Bearer error="invalid_request"');
    return match[1];
  }
  throw new UnauthorizedError('authentication required: send a bearer token', 'Bearer');
}

/**
 * Lets a request through only with a valid, unrevoked token; the caller lands in
 * ctx.state.caller. What answers a signed-in caller is theirs (their profile, the messages
 * they may read, their mentions): `Cache-Control: no-store` keeps it out of every cache on
 * the way and of the browser's disk (RFC 9111 5.2.2.5), set first so a refusal carries it too.
 */
export function requireAuth(verify: TokenVerifier): Middleware {
  return async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.state.caller = await verify(extractToken(ctx));
    await next();
  };
}
