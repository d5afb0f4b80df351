import fc from 'fast-check';
import { compareStreamIds, isStreamId, parseStreamId } from '../../src/bus/stream-id';
import { modelOrder, streamId } from '../support/stream-ids';

describe('compareStreamIds', () => {
  test('when any two ids are compared, then the sign is the order of (time, sequence) as numbers', () => {
    fc.assert(
      fc.property(streamId, streamId, (a, b) => {
        expect(Math.sign(compareStreamIds(a.text, b.text))).toBe(modelOrder(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  test('when ids are sorted with it, then the order is total: antisymmetric and transitive', () => {
    fc.assert(
      fc.property(fc.array(streamId, { maxLength: 30 }), (ids) => {
        const sorted = ids.map((id) => id.text).sort(compareStreamIds);
        for (let i = 1; i < sorted.length; i += 1) {
          expect(compareStreamIds(sorted[i - 1] as string, sorted[i] as string)).toBeLessThanOrEqual(0);
          expect(Math.sign(compareStreamIds(sorted[i] as string, sorted[i - 1] as string))).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  test('when ids differ only past 2^53 (where a number rounds), then they still order', () => {
    expect([
      compareStreamIds('9007199254740993-0', '9007199254740992-0'),
      compareStreamIds('1-9007199254740993', '1-9007199254740992'),
      compareStreamIds('18446744073709551615-0', '18446744073709551614-0'),
    ]).toEqual([1, 1, 1]);
  });

  test('when an id differs in time or sequence, then it orders numerically, not as text', () => {
    expect(['1700000000010-0', '1700000000009-0', '1700000000009-10', '1700000000009-2'].sort(compareStreamIds)).toEqual([
      '1700000000009-0',
      '1700000000009-2',
      '1700000000009-10',
      '1700000000010-0',
    ]);
  });

  test('when an id is given as <ms> alone or with leading zeros, then it is read as Redis reads a start id', () => {
    expect([
      compareStreamIds('0', '0-0'),
      compareStreamIds('0', '0-1'),
      compareStreamIds('17', '17-0'),
      compareStreamIds('007-01', '7-1'),
    ]).toEqual([0, -1, 0, 0]);
  });

  test.each(['', '$', '+', '-', '>', 'abc-1', '1-', '-1', '1-1 ', '1-2-3', `${'9'.repeat(21)}-0`])(
    'when %j is compared, then a RangeError names it',
    (id) => {
      expect(() => compareStreamIds(id, '1-0')).toThrow(new RangeError(`not a stream id: ${JSON.stringify(id)}`));
      expect(() => compareStreamIds('1-0', id)).toThrow(RangeError);
    },
  );
});

describe('parseStreamId', () => {
  test('when any id is parsed, then its parts are the numbers it was written from, and isStreamId agrees', () => {
    fc.assert(
      fc.property(streamId, ({ text, ms, seq }) => {
        expect({ parsed: parseStreamId(text), valid: isStreamId(text) }).toEqual({ parsed: { ms, seq }, valid: true });
      }),
    );
  });

  test('when a part is past 2^64 - 1 or the text is not <ms>-<seq>, then undefined', () => {
    expect(['18446744073709551616-0', '0-18446744073709551616', '0', '1700000000000-', ' 1-1'].map(parseStreamId)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
