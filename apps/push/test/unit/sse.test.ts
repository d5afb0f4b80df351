import { compareIds, formatEvent } from '../../src/domain/sse';

describe('formatEvent', () => {
  test('when an event has a request id, then id, event and one data line carry the whole event', () => {
    const frame = formatEvent({ id: '17-0', name: 'message.created', time: 't', payload: { text: 'two\nlines' }, request_id: 'r' });
    expect(frame).toBe(
      'id: 17-0\nevent: message.created\ndata: {"name":"message.created","time":"t","payload":{"text":"two\\nlines"},"request_id":"r"}\n\n',
    );
  });

  test('when an event has no request id, then data leaves it out', () => {
    expect(formatEvent({ id: '1-1', name: 'user.online', time: 't', payload: {} })).toBe(
      'id: 1-1\nevent: user.online\ndata: {"name":"user.online","time":"t","payload":{}}\n\n',
    );
  });
});

describe('compareIds', () => {
  test.each([
    ['9-0', '10-0', -1],
    ['10-2', '10-10', -1],
    ['10-1', '10-1', 0],
    ['1700000000000-5', '999-9', 1],
    ['0', '1-0', -1],
    ['0', '0-0', 0],
  ])('when %s is compared with %s, then the sign is %d', (a, b, sign) => {
    expect(Math.sign(compareIds(a, b))).toBe(sign);
  });
});
