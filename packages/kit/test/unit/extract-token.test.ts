import type { Context } from 'koa';
import { extractToken } from '../../src/auth/middleware';
import type { AppError } from '../../src/errors';

/** Just what extractToken reads from a Koa context. */
function fakeContext(options: { authorization?: string; query?: Record<string, string>; cookie?: string }): Context {
  return {
    get: (name: string) => (name.toLowerCase() === 'authorization' ? (options.authorization ?? '') : ''),
    query: options.query ?? {},
    cookies: { get: (name: string) => (name === 'access_token' ? options.cookie : undefined) },
  } as unknown as Context;
}

function rejection(ctx: Context): AppError {
  try {
    extractToken(ctx);
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a rejection');
}

describe('extractToken', () => {
  test('when the header is "Bearer <token>", then the token', () => {
    expect(extractToken(fakeContext({ authorization: 'Bearer abc.def-ghi_jkl' }))).toBe('abc.def-ghi_jkl');
  });

  test.each(['bearer abc', 'BEARER abc', 'Bearer   abc'])(
    'when the header is %j (the scheme in any case, RFC 9110 11.1), then the token',
    (authorization) => {
      expect(extractToken(fakeContext({ authorization }))).toBe('abc');
    },
  );

  test.each(['Token abc', 'Bearer', 'Bearer ', 'Bearer a b', 'Bearerabc', 'Basic dXNlcjpwdw=='])(
    'when the header is %j, then 401 invalid_request saying the expected form',
    (authorization) => {
      const error = rejection(fakeContext({ authorization }));
      expect(error).toMatchObject({ status: 401, code: 'unauthorized', message: 'expected "Authorization: Bearer <token>"' });
      expect(error.headers['WWW-Authenticate']).toBe('Bearer error="invalid_request"');
    },
  );

  test('when nothing is sent, then 401 with a plain Bearer challenge', () => {
    expect(rejection(fakeContext({})).headers['WWW-Authenticate']).toBe('Bearer');
  });

  test('when the token is in the query, then 400 token_in_url naming the parameter, and the token is not echoed', () => {
    const error = rejection(fakeContext({ query: { access_token: 'eyJq.eyJr.sig' } }));
    expect({ status: error.status, code: error.code, details: error.details }).toEqual({
      status: 400,
      code: 'token_in_url',
      details: { field: 'access_token' },
    });
    expect(error.message).toContain('Authorization: Bearer');
    expect(error.message).not.toContain('eyJq');
  });

  test('when a valid header comes with a token in the query too, then the query still refuses the request', () => {
    expect(rejection(fakeContext({ authorization: 'Bearer abc', query: { access_token: 'q' } })).code).toBe('token_in_url');
  });

  test('when the parameter is present but empty, then it is refused too', () => {
    expect(rejection(fakeContext({ authorization: 'Bearer abc', query: { access_token: '' } })).code).toBe('token_in_url');
  });

  test('when the token is only in an access_token cookie, then 401: cookies are not read', () => {
    expect(rejection(fakeContext({ cookie: 'c' })).status).toBe(401);
  });
});
