import { nicknameKey, parseNickname } from '../../src/domain/nickname';

describe('parseNickname', () => {
  test('when the nickname is plain ASCII, then it is kept as sent and lowercased for comparison', () => {
    expect(parseNickname('Alice_99-x')).toEqual({ display: 'Alice_99-x', lower: 'alice_99-x' });
  });

  test('when the nickname is in fullwidth letters, then NFKC folds it to ASCII', () => {
    expect(parseNickname('ＡＬＩＣＥ')).toEqual({ display: 'ALICE', lower: 'alice' });
  });

  test('when the nickname holds a ligature, then NFKC spells it out', () => {
    expect(parseNickname('ﬁona')).toEqual({ display: 'fiona', lower: 'fiona' });
  });

  test.each([
    ['a Cyrillic look-alike', '\u0430lice', 'may only hold'],
    ['a Greek look-alike', 'b\u03bfb', 'may only hold'],
    ['an accented letter', 'zoë_x', 'may only hold'],
    ['a space', 'al ice', 'may only hold'],
    ['an @', 'al@ce', 'may only hold'],
    ['2 characters', 'ab', '3 to 32'],
    ['33 characters', 'a'.repeat(33), '3 to 32'],
    ['10 kB', 'a'.repeat(10_240), 'at most 32'],
    ['empty', '', '3 to 32'],
  ])('when it has %s, then a ValidationError on nickname', (_case, value, message) => {
    expect(() => parseNickname(value)).toThrow(
      expect.objectContaining({ status: 400, details: { field: 'nickname' }, message: expect.stringContaining(message) }),
    );
  });

  test.each([[12345], [null], [['alice']], [{ nickname: 'alice' }]])(
    'when it is not a string (%j), then a ValidationError on nickname',
    (value) => {
      expect(() => parseNickname(value)).toThrow(expect.objectContaining({ status: 400, details: { field: 'nickname' } }));
    },
  );

  test('when it is missing, then "required"', () => {
    expect(() => parseNickname(undefined)).toThrow('nickname is required');
  });

  test('when exactly 3 and 32 characters, then accepted', () => {
    expect(parseNickname('abc').lower).toBe('abc');
    expect(parseNickname('a'.repeat(32)).lower).toBe('a'.repeat(32));
  });
});

describe('nicknameKey', () => {
  test('when the nickname could exist, then its comparison key; otherwise undefined', () => {
    expect(nicknameKey('ＢｏＢ')).toBe('bob');
    expect(nicknameKey('\u0430lice')).toBeUndefined();
    expect(nicknameKey('x')).toBeUndefined();
  });
});
