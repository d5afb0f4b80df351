import createHttpError from 'http-errors';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
  UpstreamError,
  ValidationError,
} from '../../src/errors';
import { toAppError } from '../../src/http/errors';

describe('typed errors', () => {
  test.each([
    [new ValidationError('text is blank', 'text'), 400, 'invalid_request', { field: 'text' }, {}],
    [new UnauthorizedError(), 401, 'unauthorized', {}, { 'WWW-Authenticate': 'Bearer' }],
    [new ForbiddenError(), 403, 'forbidden', {}, {}],
    [new NotFoundError(), 404, 'not_found', {}, {}],
    [new ConflictError('taken', 'nickname'), 409, 'conflict', { field: 'nickname' }, {}],
    [new TooManyRequestsError('slow down', 2.2), 429, 'too_many_requests', {}, { 'Retry-After': '3' }],
    [new ServiceUnavailableError('redis down'), 503, 'service_unavailable', {}, { 'Retry-After': '1' }],
    [new UpstreamError('users answered 500', 500), 502, 'upstream_error', {}, {}],
  ])('%s maps to its status, code, details and headers', (error, status, code, details, headers) => {
    expect({ status: error.status, code: error.code, details: error.details, headers: error.headers }).toEqual({
      status,
      code,
      details,
      headers,
    });
    expect(error.expose).toBe(true);
  });

  test('when a 5xx AppError is made without expose, then its message is not exposed', () => {
    expect(new AppError(500, 'internal_error', 'db password wrong').expose).toBe(false);
  });

  test('when TooManyRequestsError gets less than a second, then Retry-After is at least 1', () => {
    expect(new TooManyRequestsError('slow down', 0).headers['Retry-After']).toBe('1');
  });
});

describe('toAppError', () => {
  test('when given an AppError, then the same error', () => {
    const error = new NotFoundError();
    expect(toAppError(error)).toBe(error);
  });

  test('when Redis is unreachable, then 503 service_unavailable with Retry-After', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(toAppError(error)).toMatchObject({ status: 503, code: 'service_unavailable', headers: { 'Retry-After': '1' } });
  });

  test.each([
    [400, 'invalid_request'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [405, 'method_not_allowed'],
    [409, 'conflict'],
    [413, 'payload_too_large'],
    [415, 'unsupported_media_type'],
    [429, 'too_many_requests'],
    [431, 'headers_too_large'],
    [418, 'bad_request'],
  ])('when Koa throws a bare %i, then the documented code %s', (status, code) => {
    expect(toAppError(createHttpError(status))).toMatchObject({ status, code, expose: true });
  });

  test('when anything else is thrown, then 500 internal_error with a hidden message', () => {
    for (const thrown of [new Error('secret detail'), 'a string', null, createHttpError(503)]) {
      expect(toAppError(thrown)).toMatchObject({ status: 500, code: 'internal_error', message: 'internal error', expose: false });
    }
  });
});
