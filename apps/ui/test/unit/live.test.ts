import { handleEvent, reconnectDelay, streamRequest } from '../../src/client/live';
import { hasExpired } from '../../src/client/session';

describe('streamRequest', () => {
  test('when a stream is opened, then the token goes in the Authorization header and nowhere in the URL', () => {
    const token = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln';
    const request = streamRequest(token, undefined);
    expect(request).toEqual({ url: '/api/events', headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` } });
    expect(request.url).not.toContain('eyJ');
  });

  test('when an event id was seen, then the reconnect sends it as Last-Event-ID', () => {
    expect(streamRequest('t', '1700000000000-3').headers['Last-Event-ID']).toBe('1700000000000-3');
  });
});

describe('reconnectDelay', () => {
  test("when the stream ended cleanly, then the server's retry pause, spread over its second half", () => {
    expect([reconnectDelay(0, 2000, undefined, 0), reconnectDelay(0, 2000, undefined, 1)]).toEqual([1000, 2000]);
  });

  test('when attempts keep failing, then the pause doubles with jitter up to 30 s', () => {
    expect([1, 2, 3, 4, 10].map((failures) => reconnectDelay(failures, 2000, undefined, 1))).toEqual([2000, 4000, 8000, 16000, 30000]);
    expect(reconnectDelay(3, 2000, undefined, 0)).toBe(4000);
  });

  test('when the server said Retry-After, then that', () => {
    expect(reconnectDelay(4, 2000, 5, 0.3)).toBe(5000);
  });
});

describe('hasExpired', () => {
  test('when the token is past its expiry, then the session cannot reopen a stream', () => {
    expect([hasExpired({ expiresAt: 1000 }, 999), hasExpired({ expiresAt: 1000 }, 1000)]).toEqual([false, true]);
  });
});

describe('handleEvent', () => {
  const record = () => {
    const calls: string[] = [];
    return {
      calls,
      handlers: {
        onMessage: () => calls.push('message'),
        onPresence: (event: string) => calls.push(event),
        onHistoryReload: () => calls.push('reload'),
      },
    };
  };

  test('when push says the client is further behind than it replays (history.reload), then the page reloads its history', () => {
    const { calls, handlers } = record();
    handleEvent({ id: '1-0', event: 'history.reload', data: '{"name":"history.reload","payload":{"max_replay_events":500}}' }, handlers);
    expect(calls).toEqual(['reload']);
  });

  test('when an event the page does not know arrives, then nothing is called', () => {
    const { calls, handlers } = record();
    handleEvent({ id: '1-0', event: 'token.revoked', data: '{}' }, handlers);
    expect(calls).toEqual([]);
  });
});
