import { basicCredentials, describeFailure, readTokenClaims } from '../../src/client/api';

describe('describeFailure', () => {
  test('when the API explains a 409, then its message is shown as a sentence', () => {
    const error = describeFailure(409, { error: { code: 'conflict', message: 'nickname is taken', request_id: 'r1' } }, null);
    expect({ message: error.message, status: error.status, code: error.code, retryAfter: error.retryAfter }).toEqual({
      message: 'Nickname is taken.',
      status: 409,
      code: 'conflict',
      retryAfter: undefined,
    });
  });

  test('when rate limited with Retry-After, then the message says how long to wait', () => {
    const error = describeFailure(429, { error: { code: 'too_many_requests', message: 'too many failed logins', request_id: 'r' } }, '30');
    expect({ message: error.message, retryAfter: error.retryAfter }).toEqual({
      message: 'Too many failed logins. Try again in 30 seconds.',
      retryAfter: 30,
    });
  });

  test('when the body is not the API shape, then a generic sentence by status', () => {
    expect([describeFailure(503, undefined, '1').message, describeFailure(418, 'teapot', null).message]).toEqual([
      'The service is unavailable right now. Try again in 1 second.',
      'The request failed (418).',
    ]);
  });
});

describe('basicCredentials', () => {
  test('when the password has non-Latin-1 characters, then it is encoded as UTF-8', () => {
    const header = basicCredentials('alice', 'pässwörd🔑');
    expect(Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8')).toBe('alice:pässwörd🔑');
  });
});

describe('readTokenClaims', () => {
  test('when given a JWT, then its sub and nickname; when given garbage, then undefined', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'u1', nickname: 'zoë' })).toString('base64url');
    expect([readTokenClaims(`e30.${payload}.sig`), readTokenClaims('garbage'), readTokenClaims('a.!!!.c')]).toEqual([
      { id: 'u1', nickname: 'zoë' },
      undefined,
      undefined,
    ]);
  });
});
