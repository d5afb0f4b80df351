import { DEFAULT_LIMIT, MAX_LIMIT, parseAfter, parseLimit } from '../../src/domain/paging';

const errorOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return { status: (error as { status?: number }).status, field: (error as { details?: { field?: string } }).details?.field };
  }
  return 'no error';
};

describe('parseAfter', () => {
  test('when absent, then undefined (the newest page)', () => {
    expect(parseAfter(undefined)).toBeUndefined();
  });

  test.each(['1700000000000-0', '0-0', '18446744073709551615-18446744073709551615'])('when %s, then it is accepted', (value) => {
    expect(parseAfter(value)).toBe(value);
  });

  test.each([
    ['not an id', 'abc'],
    ['a bare number', '1700000000000'],
    ['empty', ''],
    ['repeated', ['1-0', '2-0']],
    ['over 64 bits', '18446744073709551616-0'],
    ['an exclusive range', '(1-0'],
  ])('when %s, then 400 with field after', (_name, value) => {
    expect(errorOf(() => parseAfter(value))).toEqual({ status: 400, field: 'after' });
  });
});

describe('parseLimit', () => {
  test('when absent, then the default', () => {
    expect(parseLimit(undefined)).toBe(DEFAULT_LIMIT);
  });

  test.each([
    ['100000', MAX_LIMIT],
    ['99999999999999999999', MAX_LIMIT],
    ['0', 1],
    ['1', 1],
    ['120', 120],
  ])('when %s, then %d', (value, expected) => {
    expect(parseLimit(value)).toBe(expected);
  });

  test.each([['abc'], ['-1'], ['1.5'], [''], [['1', '2']]])('when %j, then 400 with field limit', (value) => {
    expect(errorOf(() => parseLimit(value))).toEqual({ status: 400, field: 'limit' });
  });
});
