import { isRedisUnavailable, reconnectDelay } from '../../src/redis';

describe('reconnectDelay', () => {
  test('when attempts grow, then the delay doubles up to 2 s and stays there', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 100].map(reconnectDelay)).toEqual([50, 100, 200, 400, 800, 1600, 2000, 2000]);
  });
});

describe('isRedisUnavailable', () => {
  const withCode = (code: string): Error => Object.assign(new Error(`connect ${code}`), { code });

  test.each([
    withCode('ECONNREFUSED'),
    withCode('ECONNRESET'),
    new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    new Error('Connection is closed.'),
    Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' }),
    new Error('LOADING Redis is loading the dataset in memory'),
  ])('when %s, then true', (error) => {
    expect(isRedisUnavailable(error)).toBe(true);
  });

  test.each([
    new Error('WRONGTYPE Operation against a key holding the wrong kind of value'),
    new TypeError('x is undefined'),
    'ECONNREFUSED',
    undefined,
  ])('when %s, then false', (error) => {
    expect(isRedisUnavailable(error)).toBe(false);
  });
});
