import { BasicAuthError, parseBasicAuth } from '../../src/domain/basic-auth';
import { retryAfterSeconds } from '../../src/domain/login';

const encode = (text: string): string => Buffer.from(text).toString('base64');

describe('parseBasicAuth', () => {
  test('when the header is well formed, then the nickname and the password (which may hold colons)', () => {
    expect(parseBasicAuth(`Basic ${encode('alice:pa:ss word')}`)).toEqual({ nickname: 'alice', password: 'pa:ss word' });
  });

  test('when the scheme is in another letter case, then it is still Basic', () => {
    expect(parseBasicAuth(`basic ${encode('alice:secret')}`)).toEqual({ nickname: 'alice', password: 'secret' });
  });

  test.each([
    ['missing', undefined],
    ['empty', ''],
    ['another scheme', `Bearer ${encode('alice:secret')}`],
    ['no credentials', 'Basic '],
    ['not base64', 'Basic a$b'],
    ['no colon', `Basic ${encode('alice')}`],
    ['an empty nickname', `Basic ${encode(':secret')}`],
    ['an empty password', `Basic ${encode('alice:')}`],
    ['an oversized password', `Basic ${encode(`alice:${'x'.repeat(2000)}`)}`],
  ])('when the header is %s, then a 401 Basic challenge', (_case, header) => {
    let caught: unknown;
    try {
      parseBasicAuth(header);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BasicAuthError);
    expect(caught).toMatchObject({ status: 401, code: 'unauthorized', headers: { 'WWW-Authenticate': 'Basic realm="chat"' } });
  });
});

describe('retryAfterSeconds', () => {
  test.each([
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [41_500, 42],
    [900_000, 900],
    [0, 1],
  ])('when %i ms of the window are left, then %i s', (remaining, seconds) => {
    expect(retryAfterSeconds(remaining)).toBe(seconds);
  });
});
