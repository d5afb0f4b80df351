import { countLineBreaks, hasStackedMarks, MAX_COMBINING_MARKS } from '../../src/text';

describe('countLineBreaks', () => {
  test.each([
    ['no break', 'one line', 0],
    ['LF', 'a\nb\nc', 2],
    ['CR LF counts once', 'a\r\nb\r\nc', 2],
    ['lone CR', 'a\rb', 1],
    ['line and paragraph separators', 'a\u2028b\u2029c', 2],
    ['a blank line', 'a\n\nb', 2],
  ])('when the text has %s, then %#', (_case, text, count) => {
    expect(countLineBreaks(text)).toBe(count);
  });
});

describe('hasStackedMarks', () => {
  test.each([
    [`a${'\u0301'.repeat(MAX_COMBINING_MARKS)}`, false],
    [`a${'\u0301'.repeat(MAX_COMBINING_MARKS + 1)}`, true],
    [`a${'\u0301\u200d'.repeat(MAX_COMBINING_MARKS + 1)}`, true],
    [`${'a\u0301'.repeat(50)}`, false],
    ['Tiếng Việt'.normalize('NFD'), false],
    ['👨‍👩‍👧‍👦 1️⃣', false],
  ])('when the text is %j, then %s', (text, stacked) => {
    expect(hasStackedMarks(text)).toBe(stacked);
  });
});
