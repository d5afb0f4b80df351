import {
  encodeCursor,
  parseCredentials,
  parsePage,
  parsePassword,
  parseProfilePatch,
  parseRegistration,
} from '../../src/domain/validation';

const field = (name: string) => expect.objectContaining({ status: 400, code: 'invalid_request', details: { field: name } });
const MEMBER = '001700000000000:0b0e7c4e-2a7b-4a57-9c8e-6c2f3e1d9a10';

describe('parseRegistration', () => {
  test('when nickname and password are valid, then the normalised registration', () => {
    expect(parseRegistration({ nickname: 'Ｈａｌ', password: 'open the pod bay' })).toEqual({
      nickname: { display: 'Hal', lower: 'hal' },
      password: 'open the pod bay',
    });
  });

  test('when a display_name is given, then it is trimmed', () => {
    expect(parseRegistration({ nickname: 'hal', password: 'open the pod bay', display_name: ' HAL 9000 ' }).display_name).toBe('HAL 9000');
  });

  test.each([
    ['the body is an array', [], 'body'],
    ['the body is null', null, 'body'],
    ['the body is a string', 'hal', 'body'],
    ['the body is missing', undefined, 'body'],
    ['an unknown field', { nickname: 'hal', password: 'open the pod bay', role: 'admin' }, 'role'],
    ['the nickname is missing', { password: 'open the pod bay' }, 'nickname'],
    ['the password is missing', { nickname: 'hal' }, 'password'],
  ])('when %s, then a ValidationError naming %s', (_case, body, name) => {
    expect(() => parseRegistration(body)).toThrow(field(name as string));
  });
});

describe('parsePassword', () => {
  test('when 8 and 128 characters, then accepted; 7 and 129 refused', () => {
    expect(parsePassword('x'.repeat(8))).toBe('x'.repeat(8));
    expect(parsePassword('x'.repeat(128))).toBe('x'.repeat(128));
    expect(() => parsePassword('x'.repeat(7))).toThrow(field('password'));
    expect(() => parsePassword('x'.repeat(129))).toThrow(field('password'));
  });

  test('when 8 emoji, then accepted (characters are counted, not UTF-16 units)', () => {
    expect(parsePassword('🔑'.repeat(8))).toBe('🔑'.repeat(8));
    expect(() => parsePassword('🔑'.repeat(4))).toThrow(field('password'));
  });
});

describe('parseProfilePatch', () => {
  test('when the display_name has spaces around it, then it is trimmed', () => {
    expect(parseProfilePatch({ display_name: '  Dee  ' })).toEqual({ display_name: 'Dee' });
  });

  test.each([
    [{ display_name: '   ' }],
    [{ display_name: 'x'.repeat(65) }],
    [{}],
    [{ display_name: false }],
    [{ display_name: 'a\u0000b' }],
    [{ display_name: 'evil\u202Enimda' }],
    [{ display_name: 'x\u2067y' }],
    [{ display_name: '\u200b' }],
    [{ display_name: '\u3164\u3164' }],
    [{ display_name: '\u2800' }],
  ])('when %j, then a ValidationError on display_name', (body) => {
    expect(() => parseProfilePatch(body)).toThrow(field('display_name'));
  });

  test('when another field is sent, then it is named', () => {
    expect(() => parseProfilePatch({ display_name: 'ok', password: 'new password' })).toThrow(field('password'));
  });
});

describe('parseCredentials', () => {
  test('when both are strings, then they are passed on unjudged', () => {
    expect(parseCredentials({ nickname: 'x', password: 'y' })).toEqual({ nickname: 'x', password: 'y' });
  });

  test('when the password is not a string, then a ValidationError on password', () => {
    expect(() => parseCredentials({ nickname: 'x', password: 1 })).toThrow(field('password'));
  });
});

describe('parsePage', () => {
  test.each([
    [{}, 20],
    [{ limit: '5' }, 5],
    [{ limit: '0' }, 1],
    [{ limit: '-3' }, 1],
    [{ limit: '100000' }, 100],
    [{ limit: '99999999999999999999' }, 100],
  ])('when the query is %j, then limit %d', (query, limit) => {
    expect(parsePage(query)).toEqual({ limit });
  });

  test.each([
    [{ limit: 'ten' }, 'limit'],
    [{ limit: '2.5' }, 'limit'],
    [{ limit: ['1', '2'] }, 'limit'],
    [{ cursor: 'nope!' }, 'cursor'],
    [{ cursor: encodeCursor('1:2') }, 'cursor'],
    [{ cursor: ['a', 'b'] }, 'cursor'],
  ])('when the query is %j, then a ValidationError on %s', (query, name) => {
    expect(() => parsePage(query)).toThrow(field(name));
  });

  test('when the cursor is one handed out, then it decodes to the index member', () => {
    expect(parsePage({ cursor: encodeCursor(MEMBER), limit: '10' })).toEqual({ limit: 10, after: MEMBER });
  });
});
