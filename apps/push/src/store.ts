import { parseEntries, type BusEvent, type Redis } from '@bundle/kit';

/**
 * The only file that touches Redis. It reads the bus stream (the kit's contract; the raw
 * ids are kept so a batch of unparseable entries still moves the cursor) and keeps the
 * presence keys, all under `push:` on the event-bus binding.
 *
 * Presence, across every push instance:
 *   push:instances        zset  instance id -> last refresh (ms)
 *   push:conns:<instance> hash  user id -> open streams on that instance
 *   push:online           hash  user id -> open streams on all instances
 *   push:nicknames        hash  user id -> nickname (for the offline event)
 *   push:leaving          zset  user id -> when their offline is due (the offline grace)
 * Each change runs in one Lua script that updates the counts and appends
 * `user.online` (total 0 -> 1) or `user.offline` (total 1 -> 0) to the bus in the same
 * step, so two instances can never both announce, and the events come in the order the
 * counts changed. A live instance refreshes its zset score and rewrites its own hash from
 * its in-memory truth; another instance whose score is too old is taken for crashed:
 * its counts are subtracted (offline events for users left with none) and its hash
 * removed. Every key also expires, so a bundle whose instances all died leaves nothing.
 *
 * With an offline grace, a user whose last stream closed is not announced offline at once:
 * they wait in push:leaving, and a stream of theirs opened within the grace takes them out
 * with no event at all (a reload, a network change, an instance gone and its clients
 * reconnecting elsewhere: without the grace, each is an offline and an online written to
 * every open stream). Each instance flushes the offlines that are due (flushLeaving).
 */
type StreamEntry = [id: string, fields: string[]];

export interface Batch {
  events: BusEvent[];
  /** The id of the last entry read, parseable or not: where the next read starts. */
  lastId: string | undefined;
}

function toBatch(entries: StreamEntry[]): Batch {
  return { events: parseEntries(entries), lastId: entries.at(-1)?.[0] };
}

/** Waits up to blockMs for entries after `afterId`, on a client used for nothing else. */
export async function readStream(blocking: Redis, stream: string, afterId: string, blockMs: number, count: number): Promise<Batch> {
  const reply = (await blocking.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', stream, afterId)) as [string, StreamEntry[]][] | null;
  return toBatch(reply?.[0]?.[1] ?? []);
}

/** Entries in (afterId, untilId], oldest first: one page of a reconnecting client's history. */
export async function rangeStream(redis: Redis, stream: string, afterId: string, untilId: string, count: number): Promise<Batch> {
  const start = afterId === '0' ? '-' : `(${afterId}`;
  return toBatch((await redis.xrange(stream, start, untilId, 'COUNT', count)) as StreamEntry[]);
}

/** The newest entry's id, or "0" for an empty stream. */
export async function lastStreamId(redis: Redis, stream: string): Promise<string> {
  const [entry] = (await redis.xrevrange(stream, '+', '-', 'COUNT', 1)) as StreamEntry[];
  return entry?.[0] ?? '0';
}

const INSTANCES = 'push:instances';
const ONLINE = 'push:online';
const NICKNAMES = 'push:nicknames';
const LEAVING = 'push:leaving';
const connsKey = (instance: string): string => `push:conns:${instance}`;

// Shared by the scripts: apply a change of `delta` streams to a user's total and publish
// the transition. ARGV layout of every script: 1 now ms, 2 ttl ms, 3 ISO time, 4 maxlen,
// 5 offline grace ms. KEYS: 1 instances, 2 conns:<instance>, 3 online, 4 nicknames,
// 5 stream, 6 leaving.
const APPLY = `
local function publish(name, user, nickname)
  local payload = cjson.encode({id = user, nickname = nickname})
  return redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[4], '*', 'name', name, 'time', ARGV[3], 'payload', payload)
end
local function apply(user, delta, nickname)
  local total = redis.call('HINCRBY', KEYS[3], user, delta)
  local before = total - delta
  if total <= 0 then redis.call('HDEL', KEYS[3], user) end
  if before <= 0 and total > 0 then
    -- Back within the grace: their offline was never published, so no online either.
    if redis.call('ZREM', KEYS[6], user) == 1 then return false end
    redis.call('HSET', KEYS[4], user, nickname)
    return publish('user.online', user, nickname)
  end
  if before > 0 and total <= 0 then
    if tonumber(ARGV[5]) > 0 then
      redis.call('ZADD', KEYS[6], tonumber(ARGV[1]) + tonumber(ARGV[5]), user)
      return false
    end
    nickname = redis.call('HGET', KEYS[4], user) or nickname
    redis.call('HDEL', KEYS[4], user)
    return publish('user.offline', user, nickname)
  end
  return false
end
local function keep()
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  redis.call('PEXPIRE', KEYS[3], ARGV[2])
  redis.call('PEXPIRE', KEYS[4], ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[6], ARGV[2])
end
`;

// ARGV 6 me, 7 user, 8 nickname, 9 +1/-1.
const CHANGE = `${APPLY}
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[6])
local delta = tonumber(ARGV[9])
local mine = tonumber(redis.call('HGET', KEYS[2], ARGV[7]) or '0')
-- A close this instance's hash no longer knows (it was taken for dead) was already counted out.
if delta < 0 and mine <= 0 then keep() return false end
if mine + delta <= 0 then redis.call('HDEL', KEYS[2], ARGV[7]) else redis.call('HSET', KEYS[2], ARGV[7], mine + delta) end
local id = apply(ARGV[7], delta, ARGV[8])
keep()
return id
`;

// ARGV 6 me, then triples user, count, nickname: this instance's whole truth.
const RECONCILE = `${APPLY}
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[6])
local stored = redis.call('HGETALL', KEYS[2])
local old = {}
for i = 1, #stored, 2 do old[stored[i]] = tonumber(stored[i + 1]) end
local published = 0
for i = 7, #ARGV, 3 do
  local user, count = ARGV[i], tonumber(ARGV[i + 1])
  local before = old[user] or 0
  old[user] = nil
  if count ~= before then
    redis.call('HSET', KEYS[2], user, count)
    if apply(user, count - before, ARGV[i + 2]) then published = published + 1 end
  end
end
for user, before in pairs(old) do
  redis.call('HDEL', KEYS[2], user)
  if apply(user, -before, user) then published = published + 1 end
end
keep()
return published
`;

// KEYS with conns:<dead>. ARGV 6 dead instance, 7 refreshed-before ms.
const SWEEP = `${APPLY}
local seen = redis.call('ZSCORE', KEYS[1], ARGV[6])
if not seen or tonumber(seen) >= tonumber(ARGV[7]) then return 0 end
local stored = redis.call('HGETALL', KEYS[2])
local published = 0
for i = 1, #stored, 2 do
  if apply(stored[i], -tonumber(stored[i + 1]), stored[i]) then published = published + 1 end
end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[6])
return published
`;

// Publishes the offlines whose grace is over (users still without a stream), at most 1,000 a call.
const FLUSH = `${APPLY}
local due = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', ARGV[1], 'LIMIT', 0, 1000)
local published = 0
for _, user in ipairs(due) do
  redis.call('ZREM', KEYS[6], user)
  if tonumber(redis.call('HGET', KEYS[3], user) or '0') <= 0 then
    local nickname = redis.call('HGET', KEYS[4], user) or user
    redis.call('HDEL', KEYS[4], user)
    publish('user.offline', user, nickname)
    published = published + 1
  end
end
return published
`;

export interface PresenceStoreOptions {
  stream: string;
  maxLength: number;
  /** How long presence keys live without a refresh. */
  ttlMs: number;
  /** How long a user without a stream waits before their offline is published (0: at once). */
  offlineGraceMs?: number;
}

export function createPresenceStore(redis: Redis, options: PresenceStoreOptions) {
  const keys = (instance: string): string[] => [INSTANCES, connsKey(instance), ONLINE, NICKNAMES, options.stream, LEAVING];
  const common = (now = Date.now()): string[] => [
    String(now),
    String(options.ttlMs),
    new Date(now).toISOString(),
    String(options.maxLength),
    String(options.offlineGraceMs ?? 0),
  ];

  return {
    /** One more (+1) or one fewer (-1) stream for a user; the bus id of the presence event it caused, if any. */
    async change(instance: string, user: { id: string; nickname: string }, delta: 1 | -1): Promise<string | null> {
      return (await redis.eval(CHANGE, 6, ...keys(instance), ...common(), instance, user.id, user.nickname, String(delta))) as
        string | null;
    },

    /** Rewrites this instance's counts from its own truth and keeps its keys alive. */
    async reconcile(instance: string, counts: Iterable<[id: string, entry: { count: number; nickname: string }]>): Promise<number> {
      const triples: string[] = [];
      for (const [id, { count, nickname }] of counts) triples.push(id, String(count), nickname);
      return (await redis.eval(RECONCILE, 6, ...keys(instance), ...common(), instance, ...triples)) as number;
    },

    /** Counts out every instance not refreshed since `before` (ms): crashed ones. */
    async sweep(me: string, before: number): Promise<number> {
      const stale = (await redis.zrangebyscore(INSTANCES, '-inf', `(${before}`)).filter((instance) => instance !== me);
      let published = 0;
      for (const instance of stale) {
        published += (await redis.eval(SWEEP, 6, ...keys(instance), ...common(), instance, String(before))) as number;
      }
      return published;
    },

    /** Publishes the offlines due by `now` (their grace is over and they opened no stream); how many. */
    async flushLeaving(now = Date.now()): Promise<number> {
      return (await redis.eval(FLUSH, 6, ...keys('-'), ...common(now))) as number;
    },

    /** How many streams a user has open across all instances (tests, diagnostics). */
    async streamsOf(userId: string): Promise<number> {
      return Number((await redis.hget(ONLINE, userId)) ?? 0);
    },
  };
}

export type PresenceStore = ReturnType<typeof createPresenceStore>;
