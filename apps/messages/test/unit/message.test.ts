import { codePointLength, createdAt, MAX_TEXT_LENGTH, validateText } from '../../src/domain/message';

const fieldOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return { status: (error as { status?: number }).status, field: (error as { details?: { field?: string } }).details?.field };
  }
  return 'no error';
};

describe('validateText', () => {
  test('when the text is ordinary, then it is returned trimmed and otherwise as sent', () => {
    expect(validateText({ text: '  <b>hi</b> & "you"\n' })).toBe('<b>hi</b> & "you"');
  });

  test.each([
    ['only spaces', { text: '     ' }],
    ['only whitespace of several kinds', { text: ' \t\n\u00a0\u3000' }],
    ['empty', { text: '' }],
    ['a number', { text: 42 }],
    ['missing', {}],
    ['null', { text: null }],
    ['a lone surrogate', { text: 'a\ud800b' }],
    ['a NUL', { text: 'a\u0000b' }],
    ['an ANSI escape (it repaints a terminal)', { text: 'hi \u001b[2J\u001b[31mred' }],
    ['a bell', { text: 'ding\u0007' }],
    ['a right-to-left override (text that reads as other text)', { text: 'evil\u202Enimda' }],
    ['a text-direction isolate', { text: 'x\u2067y' }],
    ['zero-width spaces alone', { text: '\u200b\u200b' }],
    ['a Hangul filler alone (it renders blank)', { text: '\u3164' }],
    [`${MAX_TEXT_LENGTH + 1} characters`, { text: 'x'.repeat(MAX_TEXT_LENGTH + 1) }],
    [`${MAX_TEXT_LENGTH + 1} emoji`, { text: '😀'.repeat(MAX_TEXT_LENGTH + 1) }],
  ])('when the text is %s, then 400 with field text', (_name, body) => {
    expect(fieldOf(() => validateText(body))).toEqual({ status: 400, field: 'text' });
  });

  test.each([
    ['a string', 'text'],
    ['an array', [{ text: 'x' }]],
    ['null', null],
  ])('when the body is %s, then 400 with field text', (_name, body) => {
    expect(fieldOf(() => validateText(body))).toEqual({ status: 400, field: 'text' });
  });

  test('when the text has line breaks, tabs, joined emoji and right-to-left script, then it is kept as sent', () => {
    const text = 'first line\r\nsecond\tline 👩\u200d💻 שלום';
    expect(validateText({ text })).toBe(text);
  });

  test('when the text is 2000 emoji (4000 UTF-16 units), then it is accepted: characters are code points', () => {
    const text = '😀'.repeat(MAX_TEXT_LENGTH);
    expect(text.length).toBe(2 * MAX_TEXT_LENGTH);
    expect(validateText({ text })).toBe(text);
  });

  test('when the text is 2000 characters with spaces around, then the spaces do not count', () => {
    const text = 'y'.repeat(MAX_TEXT_LENGTH);
    expect(validateText({ text: `   ${text}   ` })).toBe(text);
  });
});

describe('codePointLength', () => {
  test('when a string has astral characters, then each counts once', () => {
    expect(codePointLength('a😀b𝒳')).toBe(4);
  });

  test('when a limit is given, then counting stops there', () => {
    expect(codePointLength('abcdef', 3)).toBe(3);
  });
});

describe('createdAt', () => {
  test('when given a log id, then its time is the id milliseconds', () => {
    expect(createdAt('1700000000123-7')).toBe('2023-11-14T22:13:20.123Z');
  });
});
