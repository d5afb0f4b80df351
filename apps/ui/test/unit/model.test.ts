import type { Message } from '../../src/client/api-types';
import {
  checkDraft,
  continuesFrom,
  eventPayload,
  formatTime,
  insertionIndex,
  mergeMessages,
  messageView,
  remainingLabel,
  toMessage,
  updatePresence,
} from '../../src/client/model';

const alice = { id: 'u1', nickname: 'alice' };
const bob = { id: 'u2', nickname: 'Bob' };

function message(id: string, text = `text ${id}`, author = alice, createdAt = '2026-11-22T10:00:00.000Z'): Message {
  return { id, text, author, created_at: createdAt };
}

describe('mergeMessages', () => {
  test('when a message arrives from the 201 and again from the stream, then it is kept once', () => {
    const first = mergeMessages([], [message('5-0')]);
    const second = mergeMessages(first.messages, [message('5-0')]);
    expect({ ids: second.messages.map((m) => m.id), added: second.added }).toEqual({ ids: ['5-0'], added: [] });
  });

  test('when history overlaps live messages, then the result is sorted by id and lists only the new ones as added', () => {
    const live = mergeMessages([], [message('9-0'), message('12-0')]);
    const merged = mergeMessages(live.messages, [message('7-0'), message('9-0'), message('10-0')]);
    expect({ ids: merged.messages.map((m) => m.id), added: merged.added.map((m) => m.id) }).toEqual({
      ids: ['7-0', '9-0', '10-0', '12-0'],
      added: ['7-0', '10-0'],
    });
  });

  test('when stream ids differ in time or sequence, then the list orders them numerically, not as text', () => {
    const merged = mergeMessages([], [message('1700000000010-0'), message('1700000000009-10'), message('1700000000009-2')]);
    expect(merged.messages.map((m) => m.id)).toEqual(['1700000000009-2', '1700000000009-10', '1700000000010-0']);
  });

  test('when ids differ only past 2^53, where a number rounds, then both are kept, in order', () => {
    const merged = mergeMessages([message('9007199254740993-0')], [message('9007199254740992-0'), message('1-9007199254740993')]);
    expect(merged.messages.map((m) => m.id)).toEqual(['1-9007199254740993', '9007199254740992-0', '9007199254740993-0']);
  });

  test('when the list grows past the limit, then only the newest messages stay', () => {
    const merged = mergeMessages([], [message('1-0'), message('2-0'), message('3-0')], 2);
    expect(merged.messages.map((m) => m.id)).toEqual(['2-0', '3-0']);
  });
});

describe('insertionIndex', () => {
  test('when the id is already there, then -1; otherwise the sorted position', () => {
    expect([insertionIndex(['1-0', '3-0'], '3-0'), insertionIndex(['1-0', '3-0'], '2-0'), insertionIndex([], '1-0')]).toEqual([-1, 1, 0]);
  });
});

describe('updatePresence', () => {
  test('when users come online twice and one goes offline, then each is listed once, sorted by nickname', () => {
    let online = updatePresence([], 'user.online', alice);
    online = updatePresence(online, 'user.online', bob);
    online = updatePresence(online, 'user.online', { id: 'u3', nickname: 'carol' });
    online = updatePresence(online, 'user.online', alice);
    online = updatePresence(online, 'user.offline', { id: 'u3', nickname: 'carol' });
    expect(online).toEqual([alice, bob]);
  });
});

describe('eventPayload', () => {
  test('when push sends a whole bus event, then its payload is taken', () => {
    expect(eventPayload('{"name":"message.created","time":"t","payload":{"id":"1-0"}}')).toEqual({ id: '1-0' });
  });

  test('when push sends the bare payload or garbage, then the payload or undefined', () => {
    expect([eventPayload('{"id":"u1","nickname":"alice"}'), eventPayload('not json')]).toEqual([alice, undefined]);
  });
});

describe('toMessage', () => {
  test('when a field is missing or of the wrong type, then it is not a message', () => {
    expect([
      toMessage({ id: '1-0', text: 'hi', author: alice, created_at: 'x' }),
      toMessage({ id: '1-0', text: 42, author: alice }),
      toMessage({ id: '1-0', text: 'hi', author: { id: 'u1' } }),
      toMessage(null),
    ]).toEqual([{ id: '1-0', text: 'hi', author: alice, created_at: 'x' }, undefined, undefined, undefined]);
  });

  test('when the id is not a stream id, then it is not a message (the list could not order it)', () => {
    expect([
      toMessage({ id: 'm1', text: 'hi', author: alice }),
      toMessage({ id: '99999999999999999999-0', text: 'hi', author: alice }),
    ]).toEqual([undefined, undefined]);
  });

  test('when the message has fields the client does not check, then they come along as sent', () => {
    expect(toMessage({ id: '1-0', text: 'hi', author: alice, created_at: 'x', edited_at: 'y' })).toEqual({
      id: '1-0',
      text: 'hi',
      author: alice,
      created_at: 'x',
      edited_at: 'y',
    });
  });
});

describe('formatTime', () => {
  // Local-time constructors: the expectations hold in every time zone.
  const now = new Date(2026, 10, 22, 15, 30);
  test('when the message is from today, yesterday, this year or before, then the label says so', () => {
    expect([
      formatTime(new Date(2026, 10, 22, 9, 5).toISOString(), now),
      formatTime(new Date(2026, 10, 21, 23, 59).toISOString(), now),
      formatTime(new Date(2026, 2, 3, 7, 0).toISOString(), now),
      formatTime(new Date(2025, 11, 31, 12, 0).toISOString(), now),
      formatTime('not a date', now),
    ]).toEqual(['09:05', 'Yesterday 23:59', '3 Mar 07:00', '31 Dec 2025 12:00', '']);
  });
});

describe('messageView', () => {
  test('when the text holds markup, then the view keeps it as plain text and marks my own messages', () => {
    const text = '<img src=x onerror=alert(1)>';
    const view = messageView(message('1-0', text, bob, new Date(2026, 10, 22, 9, 5).toISOString()), bob, new Date(2026, 10, 22, 10, 0));
    expect(view).toEqual({
      id: '1-0',
      author: 'Bob',
      initial: 'B',
      avatar: view.avatar,
      time: '09:05',
      datetime: view.datetime,
      text,
      mine: true,
    });
    expect(messageView(message('1-0', text, bob), alice, new Date()).mine).toBe(false);
  });

  test('when two authors differ, then their avatar colours are stable per author', () => {
    const a = messageView(message('1-0'), undefined, new Date()).avatar;
    expect(messageView(message('2-0'), undefined, new Date()).avatar).toBe(a);
  });
});

describe('continuesFrom', () => {
  test('when the same author writes within five minutes, then the message continues the block', () => {
    const first = message('1-0', 'a', alice, '2026-11-22T10:00:00.000Z');
    expect([
      continuesFrom(first, message('2-0', 'b', alice, '2026-11-22T10:04:59.000Z')),
      continuesFrom(first, message('2-0', 'b', alice, '2026-11-22T10:05:00.000Z')),
      continuesFrom(first, message('2-0', 'b', bob, '2026-11-22T10:01:00.000Z')),
      continuesFrom(undefined, first),
    ]).toEqual([true, false, false, false]);
  });
});

describe('checkDraft', () => {
  test('when the draft is blank, too long or fine, then it says so', () => {
    expect([checkDraft('   \n '), checkDraft('x'.repeat(2001)), checkDraft('  hello  ')]).toEqual([
      { ok: false, reason: 'Write something first.' },
      { ok: false, reason: 'Messages are at most 2000 characters.' },
      { ok: true, text: 'hello' },
    ]);
  });

  test('when the draft nears the limit, then the counter appears', () => {
    expect([remainingLabel('x'.repeat(100)), remainingLabel('x'.repeat(1900))]).toEqual(['', '1900 / 2000']);
  });
});
