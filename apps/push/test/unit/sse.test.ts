import { formatEvent } from '../../src/domain/sse';

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
