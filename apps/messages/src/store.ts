import type { Redis } from '@bundle/kit';
import { createdAt, type Author, type Message } from './domain/message';

/**
 * The only code that touches this app's Redis keys (binding messages-db, prefix `messages:`):
 *   messages:log                 stream: the message log; a message's id is its stream id
 *   messages:outbox              sorted set: ids of messages not yet published to the bus
 *                                (score: when they were stored or last leased, ms)
 *   messages:mentions:<nickname> counter: how often a nickname was mentioned
 *   messages:mentions:done:<id>  marker: this message's mentions are counted (expires)
 */
const LOG = 'messages:log';
const OUTBOX = 'messages:outbox';
const mentionKey = (nickname: string): string => `messages:mentions:${nickname}`;
const doneKey = (messageId: string): string => `messages:mentions:done:${messageId}`;

// Appending and entering the outbox happen in one script: a message is never stored
// without a record that it still has to be published.
const APPEND = `
local id = redis.call('XADD', KEYS[1], '*', 'text', ARGV[1], 'author_id', ARGV[2], 'author_nickname', ARGV[3], 'request_id', ARGV[4])
redis.call('ZADD', KEYS[2], tonumber(string.match(id, '^(%d+)')), id)
return id`;

// Takes the oldest unpublished ids stored before ARGV[1] and re-scores them to ARGV[2],
// a lease: another relay running at the same moment does not pick them up as well.
const LEASE = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id) end
return ids`;

// Counts a message's mentions once: the marker and the increments are one atomic step,
// so a redelivered event finds the marker and changes nothing.
const COUNT_ONCE = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[1])) then return 0 end
for i = 2, #KEYS do redis.call('INCR', KEYS[i]) end
return 1`;

type Entry = [id: string, fields: string[]];

export interface StoredMessage extends Message {
  /** The request that stored it, so a late publication still carries it. */
  request_id: string;
}

export function createMessageStore(redis: Redis) {
  return {
    async append(text: string, author: Author, requestId: string): Promise<StoredMessage> {
      const id = (await redis.eval(APPEND, 2, LOG, OUTBOX, text, author.id, author.nickname, requestId)) as string;
      return { id, text, author: { id: author.id, nickname: author.nickname }, created_at: createdAt(id), request_id: requestId };
    },

    /** The newest `limit` messages, oldest first. */
    async latest(limit: number): Promise<StoredMessage[]> {
      return toMessages(((await redis.xrevrange(LOG, '+', '-', 'COUNT', limit)) as Entry[]).reverse());
    },

    /** Up to `limit` messages strictly after `afterId`, oldest first. */
    async after(afterId: string, limit: number): Promise<StoredMessage[]> {
      const start = afterId === '0-0' ? '-' : `(${afterId}`;
      try {
        return toMessages((await redis.xrange(LOG, start, '+', 'COUNT', limit)) as Entry[]);
      } catch (error) {
        // "(<max id>" has nothing after it; Redis calls that an invalid interval.
        if ((error as Error).message.includes('invalid start ID')) return [];
        throw error;
      }
    },

    async get(id: string): Promise<StoredMessage | undefined> {
      return toMessages((await redis.xrange(LOG, id, id)) as Entry[])[0];
    },

    async markPublished(id: string): Promise<void> {
      await redis.zrem(OUTBOX, id);
    },

    /** Ids of messages stored (or last leased) before `before` and still unpublished, leased until `now`. */
    async leaseUnpublished(before: number, now: number, count: number): Promise<string[]> {
      return (await redis.eval(LEASE, 1, OUTBOX, before, now, count)) as string[];
    },

    async unpublishedCount(): Promise<number> {
      return redis.zcard(OUTBOX);
    },

    /** Adds one to each nickname's count unless this message was counted before; true when counted now. */
    async countMentionsOnce(messageId: string, nicknames: string[], ttlSeconds: number): Promise<boolean> {
      const keys = [doneKey(messageId), ...nicknames.map(mentionKey)];
      return (await redis.eval(COUNT_ONCE, keys.length, ...keys, ttlSeconds)) === 1;
    },

    async mentionCount(nickname: string): Promise<number> {
      return Number((await redis.get(mentionKey(nickname))) ?? 0);
    },
  };
}

export type MessageStore = ReturnType<typeof createMessageStore>;

function toMessages(entries: Entry[]): StoredMessage[] {
  return entries.map(([id, fields]) => {
    const record: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i] as string] = fields[i + 1] as string;
    return {
      id,
      text: record.text ?? '',
      author: { id: record.author_id ?? '', nickname: record.author_nickname ?? '' },
      created_at: createdAt(id),
      request_id: record.request_id ?? '',
    };
  });
}
