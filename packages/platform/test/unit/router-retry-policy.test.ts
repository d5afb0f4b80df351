import { MAX_TRIES, retryPolicy } from '../../src/local/router/retry';

// No socket: the policy is a function of what the failed try left.
const failed = { error: 'ECONNREFUSED', method: 'POST', replayable: true, tries: 1 };

describe('retryPolicy', () => {
  test('when the connection was refused, then any method goes on to another instance if its body can be sent again', () => {
    expect(retryPolicy(failed)).toBe('retry');
    expect(retryPolicy({ ...failed, error: 'EADDRNOTAVAIL' })).toBe('retry');
    expect(retryPolicy({ ...failed, replayable: false })).toBe('give_up');
  });

  test('when the connection broke under the request, then only a safe method goes on', () => {
    for (const error of ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']) {
      for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(retryPolicy({ ...failed, error, method })).toBe('retry');
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) expect(retryPolicy({ ...failed, error, method })).toBe('give_up');
    }
  });

  test('when the error is another (an abort, a parse error), then the request goes no further', () => {
    expect(retryPolicy({ ...failed, error: 'UND_ERR_ABORTED', method: 'GET' })).toBe('give_up');
    expect(retryPolicy({ ...failed, error: 'HPE_INVALID_CONSTANT', method: 'GET' })).toBe('give_up');
  });

  test('when MAX_TRIES instances were tried, then the request goes no further', () => {
    expect(MAX_TRIES).toBe(3);
    expect(retryPolicy({ ...failed, tries: MAX_TRIES - 1 })).toBe('retry');
    expect(retryPolicy({ ...failed, tries: MAX_TRIES })).toBe('give_up');
    expect(retryPolicy({ ...failed, error: 'ECONNRESET', method: 'GET', tries: MAX_TRIES })).toBe('give_up');
  });
});
