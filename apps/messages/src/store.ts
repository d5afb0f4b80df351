import { compareStreamIds, type Redis } from '@bundle/kit';
import { createdAt, type Author, type Message } from './domain/message';

/**
 * The only code that touches this app's Redis keys (binding messages-db, prefix `messages:`):
 *   messages:log                 stream: the message log; a message's id is its stream id;
 *                                trimmed by age and length as messages are appended
 *   messages:log:trimmed         string: the newest id retention removed from the log
 *   messages:outbox              sorted set: ids of messages not yet published to the bus
 *                                (score: when they were stored or last leased, ms)
 *   messages:nicknames           set: the nicknames that exist (normalised), learnt from
 *                                user.created on the bus; only these are counted
 *   messages:mentions:<nickname> counter: how often a known nickname was mentioned
 *   messages:mentions:done:<id>  marker: this message's mentions are counted (expires)
 *   messages:rate:<user id>      counter: the user's posts in the current window (expires with it)
 */
const LOG = 'messages:log';
const OUTBOX = 'messages:outbox';
const TRIMMED = 'messages:log:trimmed';
const NICKNAMES = 'messages:nicknames';
const mentionKey = (nickname: string): string => `messages:mentions:${nickname}`;
const doneKey = (messageId: string): string => `messages:mentions:done:${messageId}`;
const rateKey = (userId: string): string => `messages:rate:${userId}`;

/** How much of the log is kept: messages younger than maxAgeMs, at most maxLength of them. */
export interface Retention {
  maxAgeMs: number;
  maxLength: number;
}

export const DEFAULT_RETENTION: Retention = { maxAgeMs: 30 * 24 * 3600 * 1000, maxLength: 100_000 };

// Appending, trimming and entering the outbox happen in one script: a message is never
// stored without a record that it still has to be published. Trimming is exact (not ~):
// at chat rates it removes about one entry per append, and "kept" means what it says.
// The newest id ever removed is kept in KEYS[3], so a page can say it starts after a gap
// (Redis's own max-deleted-entry-id does not count trimming).
const APPEND = `
local id = redis.call('XADD', KEYS[1], '*', 'text', ARGV[1], 'author_id', ARGV[2], 'author_nickname', ARGV[3], 'request_id', ARGV[4])
local ms = tonumber(string.match(id, '^(%d+)'))
local removed = false
local excess = redis.call('XLEN', KEYS[1]) - tonumber(ARGV[5])
if excess > 0 then
  local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', excess)
  removed = oldest[#oldest][1]
  redis.call('XTRIM', KEYS[1], 'MAXLEN', '=', ARGV[5])
end
local minid = string.format('%d', ms - tonumber(ARGV[6]))
local expired = redis.call('XREVRANGE', KEYS[1], '(' .. minid, '-', 'COUNT', 1)
if expired[1] then
  removed = expired[1][1]
  redis.call('XTRIM', KEYS[1], 'MINID', '=', minid)
end
if removed then redis.call('SET', KEYS[3], removed) end
redis.call('ZADD', KEYS[2], ms, id)
return id`;

// One more post in the user's window; the window starts with the first post and expires.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

// Takes the oldest unpublished ids stored before ARGV[1] and re-scores them to ARGV[2],
// a lease: another relay running at the same moment does not pick them up as well.
const LEASE = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id) end
return ids`;

// Counts a message's mentions once: the marker and the increments are one atomic step,
// so a redelivered event finds the marker and changes nothing. Only nicknames in the set
// of known ones get a counter: a mention of nobody makes no key.
const COUNT_ONCE = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[1])) then return 0 end
for i = 3, #KEYS do
  if redis.call('SISMEMBER', KEYS[2], ARGV[i - 1]) == 1 then redis.call('INCR', KEYS[i]) end
end
return 1`;

type Entry = [id: string, fields: string[]];

export interface StoredMessage extends Message {
  /** The request that stored it, so a late publication still carries it. */
  request_id: string;
}

export function createMessageStore(redis: Redis, retention: Retention = DEFAULT_RETENTION) {
  return {
    async append(text: string, author: Author, requestId: string): Promise<StoredMessage> {
      const id = (await redis.eval(
        APPEND,
        3,
        LOG,
        OUTBOX,
        TRIMMED,
        text,
        author.id,
        author.nickname,
        requestId,
        retention.maxLength,
        retention.maxAgeMs,
      )) as string;
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

    /** True when retention removed messages newer than afterId: a page read from there has a gap before its first item. */
    async trimmedAfter(afterId: string): Promise<boolean> {
      const removed = await redis.get(TRIMMED);
      return removed !== null && compareStreamIds(removed, afterId) > 0;
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

    /** Adds one to each known nickname's count unless this message was counted before; true when counted now. */
    async countMentionsOnce(messageId: string, nicknames: string[], ttlSeconds: number): Promise<boolean> {
      const keys = [doneKey(messageId), NICKNAMES, ...nicknames.map(mentionKey)];
      return (await redis.eval(COUNT_ONCE, keys.length, ...keys, ttlSeconds, ...nicknames)) === 1;
    },

    /** Records that a (normalised) nickname exists, so mentions of it are counted. */
    async learnNicknames(...nicknames: string[]): Promise<void> {
      if (nicknames.length > 0) await redis.sadd(NICKNAMES, ...nicknames);
    },

    /** Whether any nickname was ever learnt (the worker backfills from the bus when none was). */
    async knowsNicknames(): Promise<boolean> {
      return (await redis.exists(NICKNAMES)) === 1;
    },

    /** Counts one post by this user in its window: how many so far, and ms until the window ends. */
    async hitPostRate(userId: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
      const [count, resetMs] = (await redis.eval(HIT, 1, rateKey(userId), windowMs)) as [number, number];
      return { count, resetMs: resetMs > 0 ? resetMs : windowMs };
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
