import type { Context } from 'koa';
import { extractToken } from '../../src/auth/middleware';
import { UnauthorizedError } from '../../src/errors';

/** Just what extractToken reads from a Koa context. */
function fakeContext(options: { authorization?: string; query?: Record<string, string>; cookie?: string }): Context {
  return {
    get: (name: string) => (name.toLowerCase() === 'authorization' ? (options.authorization ?? '') : ''),
    query: options.query ?? {},
    cookies: { get: (name: string) => (name === 'access_token' ? options.cookie : undefined) },
  } as unknown as Context;
}

function rejection(ctx: Context, allowQueryAndCookie = false): UnauthorizedError {
  try {
    extractToken(ctx, { allowQueryAndCookie });
  } catch (error) {
    return error as UnauthorizedError;
  }
  throw new Error('expected a rejection');
}

describe('extractToken', () => {
  test('when the header is "Bearer <token>", then the token', () => {
    expect(extractToken(fakeContext({ authorization: 'Bearer abc.def-ghi_jkl' }))).toBe('abc.def-ghi_jkl');
  });

  test.each(['Token abc', 'Bearer', 'Bearer ', 'bearer abc', 'Bearer a b', 'Basic dXNlcjpwdw=='])(
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

  test('when the token is in the query or a cookie but they are not allowed, then 401', () => {
    expect(rejection(fakeContext({ query: { access_token: 'q' }, cookie: 'c' })).status).toBe(401);
  });

  test('when the query and cookie are allowed, then the query first, then the cookie', () => {
    expect(extractToken(fakeContext({ query: { access_token: 'q' }, cookie: 'c' }), { allowQueryAndCookie: true })).toBe('q');
    expect(extractToken(fakeContext({ cookie: 'c' }), { allowQueryAndCookie: true })).toBe('c');
  });

  test('when a header is present and malformed, then the query does not rescue it', () => {
    expect(rejection(fakeContext({ authorization: 'Token x', query: { access_token: 'q' } }), true).status).toBe(401);
  });
});
