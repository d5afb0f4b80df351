import { createServiceClient } from '../../src/client';
import { UpstreamError } from '../../src/errors';
import { freePort } from '../../src/testing/redis-server';
import { startStubServer, type StubServer } from '../../src/testing/stub-server';

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }
  throw new Error('expected an UpstreamError');
}

describe('createServiceClient', () => {
  let stub: StubServer;
  beforeEach(async () => {
    stub = await startStubServer({
      'POST /api/users/internal/credentials/verify': () => ({ status: 200, body: { id: 'u1', nickname: 'ann' } }),
      'GET /missing': () => ({ status: 404, body: { error: { code: 'not_found' } } }),
    });
  });
  afterEach(() => stub.close());

  const client = (overrides: { timeoutMs?: number; retries?: number } = {}) =>
    createServiceClient({ name: 'users', baseUrl: stub.url, retryDelayMs: 1, headers: { 'x-service-key': 'k'.repeat(20) }, ...overrides });

  test('when the other app answers, then status and parsed body, with the request id and default headers sent', async () => {
    const response = await client().request({
      method: 'POST',
      path: '/api/users/internal/credentials/verify',
      body: { nickname: 'ann', password: 'pw' },
      requestId: 'req-0123456789abcdefghij',
    });
    expect(response).toMatchObject({ status: 200, body: { id: 'u1', nickname: 'ann' } });
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]?.headers).toMatchObject({
      'x-request-id': 'req-0123456789abcdefghij',
      'x-service-key': 'k'.repeat(20),
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(stub.requests[0]?.body).toEqual({ nickname: 'ann', password: 'pw' });
  });

  test('when the other app answers 4xx, then it is returned to the caller, not retried', async () => {
    const response = await client().request({ path: '/missing' });
    expect(response).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(stub.requests).toHaveLength(1);
  });

  test('when the other app answers 5xx, then 502 upstream_error after retrying a GET', async () => {
    stub.on('GET /flaky', () => ({ status: 500, body: { error: { code: 'internal_error' } } }));
    const error = await failure(client({ retries: 2 }).request({ path: '/flaky' }));
    expect(error).toMatchObject({ status: 502, code: 'upstream_error', upstreamStatus: 500, message: 'users answered 500' });
    expect(stub.requests).toHaveLength(3);
  });

  test('when a retried GET succeeds the second time, then its answer', async () => {
    let calls = 0;
    stub.on('GET /flaky', () => ((calls += 1) === 1 ? { status: 503 } : { status: 200, body: { ok: true } }));
    expect((await client().request({ path: '/flaky' })).body).toEqual({ ok: true });
    expect(stub.requests).toHaveLength(2);
  });

  test.each(['PUT', 'DELETE'])('when a %s fails with 5xx, then it is retried (idempotent)', async (method) => {
    stub.on(`${method} /thing`, () => ({ status: 500 }));
    await failure(client({ retries: 1 }).request({ method, path: '/thing' }));
    expect(stub.requests).toHaveLength(2);
  });

  test.each(['POST', 'PATCH'])('when a %s fails with 5xx, then it is never retried', async (method) => {
    stub.on(`${method} /thing`, () => ({ status: 500 }));
    await failure(client({ retries: 3 }).request({ method, path: '/thing', body: {} }));
    expect(stub.requests).toHaveLength(1);
  });

  test('when the other app does not answer in time, then 504 upstream_timeout', async () => {
    stub.on('POST /hang', () => ({ hang: true }));
    const error = await failure(client({ timeoutMs: 50 }).request({ method: 'POST', path: '/hang', body: {} }));
    expect(error).toMatchObject({
      status: 504,
      code: 'upstream_timeout',
      message: 'users did not answer within 50 ms',
      upstreamStatus: undefined,
    });
  });

  test('when the other app is unreachable, then 503 upstream_unavailable', async () => {
    const nobody = createServiceClient({ name: 'users', baseUrl: `http://127.0.0.1:${await freePort()}`, retries: 0 });
    const error = await failure(nobody.request({ path: '/anything' }));
    expect(error).toMatchObject({ status: 503, code: 'upstream_unavailable', message: 'users is unreachable' });
  });

  test('when the answer is not JSON, then the text', async () => {
    stub.on('GET /text', () => ({ status: 200, body: 'plain', headers: { 'content-type': 'text/plain' } }));
    expect((await client().request({ path: '/text' })).body).toBe('"plain"');
  });
});
