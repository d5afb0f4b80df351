import { busEntryContext, busEntryFields, isStreamId, parseEntries } from '../../src/bus';
import { runInTrace } from '../../src/trace';

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

describe('busEntryContext and busEntryFields', () => {
  const trace = { requestId: 'req-in-trace-0123456789', traceId: '0af7651916cd43dd8448eb211c80319c', flags: '01' };

  test('when outside a request, then only a given request id', () => {
    expect([busEntryContext(), busEntryContext('req-given-0123456789ab')]).toEqual([[], ['request_id', 'req-given-0123456789ab']]);
  });

  test('when inside a request, then its request id and a traceparent in its trace; a given id wins', () => {
    const [own, given] = runInTrace(trace, () => [busEntryContext(), busEntryContext('req-given-0123456789ab')]);
    const traceparent = expect.stringMatching(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect({ own, given }).toEqual({
      own: ['request_id', trace.requestId, 'traceparent', traceparent],
      given: ['request_id', 'req-given-0123456789ab', 'traceparent', traceparent],
    });
  });

  test('when an entry is built and read back, then parseEntries gives the event with its context', () => {
    const fields = runInTrace(trace, () => busEntryFields('user.online', { id: 'u1', nickname: 'ann' }));
    expect(parseEntries([['5-0', fields]])).toEqual([
      {
        id: '5-0',
        name: 'user.online',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        payload: { id: 'u1', nickname: 'ann' },
        request_id: trace.requestId,
        traceparent: expect.stringMatching(/^00-0af7651916cd43dd8448eb211c80319c-/),
      },
    ]);
  });
});
