import { findMentions, normaliseNickname } from '../../src/domain/mentions';

describe('findMentions', () => {
  test('when a text mentions nicknames, then each is returned lower-cased once, in order', () => {
    expect(findMentions('@Alice hi @bob_2, @ALICE and @alice again; cc @carol-x.')).toEqual(['alice', 'bob_2', 'carol-x']);
  });

  test.each([
    ['an e-mail address', 'write to mail@example.org'],
    ['a nickname too short', 'hi @ab'],
    ['a nickname too long', `hi @${'a'.repeat(33)}`],
    ['a lone at sign', 'meet @ 5'],
    ['no mention', 'hello world'],
  ])('when the text has %s, then no mention is found', (_name, text) => {
    expect(findMentions(text)).toEqual([]);
  });

  test('when a mention is at the start, end or inside punctuation, then it is found', () => {
    expect(findMentions('(@zoe) @émile! @max32')).toEqual(['zoe', 'émile', 'max32']);
  });

  test('when a mention uses full-width letters, then it is counted under the NFKC form', () => {
    expect(findMentions('@ＡＬＩＣＥ')).toEqual(['alice']);
  });

  test('when a text names more nicknames than the cap, then the first distinct ones up to it', () => {
    expect(findMentions('@ann @ANN @bob @cat @dan', 3)).toEqual(['ann', 'bob', 'cat']);
  });
});

describe('normaliseNickname', () => {
  test('when a nickname has capitals, then it is lower-cased', () => {
    expect(normaliseNickname('Bob_X')).toBe('bob_x');
  });
});
