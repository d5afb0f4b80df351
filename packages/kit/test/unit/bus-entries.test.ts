import { isStreamId, parseEntries } from '../../src/bus';

describe('isStreamId', () => {
  test.each(['0-0', '1700000000000-0', '1700000000000-12', '18446744073709551615-18446744073709551615'])('when %s, then true', (id) => {
    expect(isStreamId(id)).toBe(true);
  });

  test.each([
    '',
    '0',
    '$',
    '>',
    '1700000000000',
    '1700000000000-',
    'abc-1',
    '1-1 ',
    `${'9'.repeat(21)}-0`,
    '-1-0',
    '0-18446744073709551616',
    '18446744073709551616-0',
    `${'9'.repeat(20)}-9`,
  ])('when %j, then false', (id) => {
    expect(isStreamId(id)).toBe(false);
  });
});

describe('parseEntries', () => {
  test('when entries are ours, then events with parsed payloads, in order', () => {
    const events = parseEntries([
      ['1-0', ['name', 'user.created', 'time', '2024-01-01T00:00:00.000Z', 'payload', '{"id":"u1"}', 'request_id', 'r-1']],
      ['2-0', ['name', 'message.created', 'time', '2024-01-01T00:00:01.000Z', 'payload', '{"id":"m1"}']],
    ]);
    expect(events).toEqual([
      { id: '1-0', name: 'user.created', time: '2024-01-01T00:00:00.000Z', payload: { id: 'u1' }, request_id: 'r-1' },
      { id: '2-0', name: 'message.created', time: '2024-01-01T00:00:01.000Z', payload: { id: 'm1' } },
    ]);
  });

  test('when an entry is not ours (no name, no payload, broken JSON), then it is skipped', () => {
    const events = parseEntries([
      ['1-0', ['payload', '{}']],
      ['2-0', ['name', 'x']],
      ['3-0', ['name', 'x', 'payload', '{broken']],
      ['4-0', ['name', 'kept', 'payload', '{}', 'dangling']],
    ]);
    expect(events).toEqual([{ id: '4-0', name: 'kept', time: '', payload: {} }]);
  });
});
