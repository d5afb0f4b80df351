import { busEntryContext, type Redis } from '@bundle/kit';

/**
 * The presence keys, all under `push:` on the event-bus binding. (The bus itself is read
 * through the kit's createEventBus; this is the only push code that touches Redis keys.)
 *
 * Presence, across every push instance:
 *   push:instances         zset  instance id -> last refresh (ms)
 *   push:conns:<instance>  hash  user id -> open streams on that instance
 *   push:online            hash  user id -> open streams on all instances
 *   push:nicknames         hash  user id -> nickname (for the offline event)
 *   push:leaving           zset  user id -> when their offline is due (the offline grace)
 *   push:leaving:context   hash  user id -> the request fields of the close that made them leave
 *   push:announced         zset  user id -> when their last online or offline was published (ms),
 *                                trimmed to the cooldown
 * Each change runs in one Lua script that updates the counts and appends
 * `user.online` (total 0 -> 1) or `user.offline` (total 1 -> 0) to the bus in the same
 * step, so two instances can never both announce, and the events come in the order the
 * counts changed. A live instance refreshes its zset score and rewrites its own hash from
 * its in-memory truth; another instance whose score is too old is taken for crashed:
 * its counts are subtracted (offline events for users left with none) and its hash
 * removed. Every key also expires, so a bundle whose instances all died leaves nothing.
 *
 * The entries the scripts append are the kit's bus entries (name, time, payload, then
 * busEntryContext: `request_id` and `traceparent`): the script chooses the name and the
 * payload, the kit the request fields, handed over as ARGV 6. An online carries the request
 * that opened the stream; an offline the request whose stream closed last (kept in
 * push:leaving:context until the grace is over); a refresh or a sweep, which no request
 * caused, appends entries without them.
 *
 * With an offline grace, a user whose last stream closed is not announced offline at once:
 * they wait in push:leaving, and a stream of theirs opened within the grace takes them out
 * with no event at all (a reload, a network change, an instance gone and its clients
 * reconnecting elsewhere: without the grace, each is an offline and an online written to
 * every open stream). Each instance flushes the offlines that are due (flushLeaving).
 *
 * With a cooldown, a user announced less than a cooldown ago who closes their last stream
 * waits in push:leaving until the cooldown is over (at least the grace): a user who keeps
 * opening and closing streams writes about two presence entries per cooldown, however fast
 * they churn, instead of two per grace. Every entry is sent to every open stream, and enough
 * churn would roll the bus over, dropping entries that reconnecting clients still need.
 */
const INSTANCES = 'push:instances';
const ONLINE = 'push:online';
const NICKNAMES = 'push:nicknames';
const LEAVING = 'push:leaving';
const LEAVING_CONTEXT = 'push:leaving:context';
const ANNOUNCED = 'push:announced';
const connsKey = (instance: string): string => `push:conns:${instance}`;

// Shared by the scripts: apply a change of `delta` streams to a user's total and publish
// the transition. ARGV layout of every script: 1 now ms, 2 ttl ms, 3 ISO time, 4 maxlen,
// 5 offline grace ms, 6 the request fields (busEntryContext as a JSON array), 7 cooldown ms.
// KEYS: 1 instances, 2 conns:<instance>, 3 online, 4 nicknames, 5 stream, 6 leaving,
// 7 leaving:context, 8 announced.
const APPLY = `
local function publish(name, user, nickname, context)
  local payload = cjson.encode({id = user, nickname = nickname})
  redis.call('ZADD', KEYS[8], ARGV[1], user)
  return redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[4], '*', 'name', name, 'time', ARGV[3], 'payload', payload,
    unpack(cjson.decode(context or ARGV[6])))
end
-- When a user who just left is announced offline: after the grace, and not within the cooldown of their last announcement.
local function offline_due(user)
  local now = tonumber(ARGV[1])
  local due = now + tonumber(ARGV[5])
  local cooldown = tonumber(ARGV[7])
  if cooldown > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[8], '-inf', now - cooldown)
    local announced = redis.call('ZSCORE', KEYS[8], user)
    if announced then due = math.max(due, tonumber(announced) + cooldown) end
  end
  return due
end
local function apply(user, delta, nickname)
  local total = redis.call('HINCRBY', KEYS[3], user, delta)
  local before = total - delta
  if total <= 0 then redis.call('HDEL', KEYS[3], user) end
  if before <= 0 and total > 0 then
    -- Back within the grace: their offline was never published, so no online either.
    if redis.call('ZREM', KEYS[6], user) == 1 then
      redis.call('HDEL', KEYS[7], user)
      return false
    end
    redis.call('HSET', KEYS[4], user, nickname)
    return publish('user.online', user, nickname)
  end
  if before > 0 and total <= 0 then
    local due = offline_due(user)
    if due > tonumber(ARGV[1]) then
      redis.call('ZADD', KEYS[6], due, user)
      redis.call('HSET', KEYS[7], user, ARGV[6])
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
  redis.call('PEXPIRE', KEYS[7], ARGV[2])
  redis.call('PEXPIRE', KEYS[8], ARGV[2])
end
`;

// ARGV 8 me, 9 user, 10 nickname, 11 +1/-1, 12 the most streams a user may hold on all
// instances (0: no limit). -1 when an open would pass it: nothing is counted.
const CHANGE = `${APPLY}
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[8])
local delta = tonumber(ARGV[11])
local limit = tonumber(ARGV[12])
if delta > 0 and limit > 0 and tonumber(redis.call('HGET', KEYS[3], ARGV[9]) or '0') >= limit then keep() return -1 end
local mine = tonumber(redis.call('HGET', KEYS[2], ARGV[9]) or '0')
-- A close this instance's hash no longer knows (it was taken for dead) was already counted out.
if delta < 0 and mine <= 0 then keep() return false end
if mine + delta <= 0 then redis.call('HDEL', KEYS[2], ARGV[9]) else redis.call('HSET', KEYS[2], ARGV[9], mine + delta) end
local id = apply(ARGV[9], delta, ARGV[10])
keep()
return id
`;

// ARGV 8 me, then triples user, count, nickname: this instance's whole truth.
const RECONCILE = `${APPLY}
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[8])
local stored = redis.call('HGETALL', KEYS[2])
local old = {}
for i = 1, #stored, 2 do old[stored[i]] = tonumber(stored[i + 1]) end
local published = 0
for i = 9, #ARGV, 3 do
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

// KEYS with conns:<dead>. ARGV 8 dead instance, 9 refreshed-before ms.
const SWEEP = `${APPLY}
local seen = redis.call('ZSCORE', KEYS[1], ARGV[8])
if not seen or tonumber(seen) >= tonumber(ARGV[9]) then return 0 end
local stored = redis.call('HGETALL', KEYS[2])
local published = 0
for i = 1, #stored, 2 do
  if apply(stored[i], -tonumber(stored[i + 1]), stored[i]) then published = published + 1 end
end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[8])
return published
`;

// Publishes the offlines whose grace is over (users still without a stream), at most 1,000 a
// call, each with the request fields of the close that made them leave.
const FLUSH = `${APPLY}
local due = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', ARGV[1], 'LIMIT', 0, 1000)
local published = 0
for _, user in ipairs(due) do
  redis.call('ZREM', KEYS[6], user)
  local context = redis.call('HGET', KEYS[7], user)
  redis.call('HDEL', KEYS[7], user)
  if tonumber(redis.call('HGET', KEYS[3], user) or '0') <= 0 then
    local nickname = redis.call('HGET', KEYS[4], user) or user
    redis.call('HDEL', KEYS[4], user)
    publish('user.offline', user, nickname, context)
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
  /** How long after a user's last online or offline their next offline waits at least (0: no cooldown). */
  cooldownMs?: number;
}

export function createPresenceStore(redis: Redis, options: PresenceStoreOptions) {
  const keys = (instance: string): string[] => [
    INSTANCES,
    connsKey(instance),
    ONLINE,
    NICKNAMES,
    options.stream,
    LEAVING,
    LEAVING_CONTEXT,
    ANNOUNCED,
  ];
  // The request fields come from the trace this runs in: the request that opened or closed a stream.
  const common = (now = Date.now()): string[] => [
    String(now),
    String(options.ttlMs),
    new Date(now).toISOString(),
    String(options.maxLength),
    String(options.offlineGraceMs ?? 0),
    JSON.stringify(busEntryContext()),
    String(options.cooldownMs ?? 0),
  ];

  return {
    /**
     * One more (+1) or one fewer (-1) stream for a user; the bus id of the presence event it
     * caused, if any, or 'over' when an open would pass `limit` streams on all instances (then
     * nothing is counted).
     */
    async change(
      instance: string,
      user: { id: string; nickname: string },
      delta: 1 | -1,
      now = Date.now(),
      limit = 0,
    ): Promise<string | null | 'over'> {
      const result = (await redis.eval(
        CHANGE,
        8,
        ...keys(instance),
        ...common(now),
        instance,
        user.id,
        user.nickname,
        String(delta),
        String(limit),
      )) as string | number | null;
      return result === -1 ? 'over' : (result as string | null);
    },

    /** Rewrites this instance's counts from its own truth and keeps its keys alive. */
    async reconcile(instance: string, counts: Iterable<[id: string, entry: { count: number; nickname: string }]>): Promise<number> {
      const triples: string[] = [];
      for (const [id, { count, nickname }] of counts) triples.push(id, String(count), nickname);
      return (await redis.eval(RECONCILE, 8, ...keys(instance), ...common(), instance, ...triples)) as number;
    },

    /** Counts out every instance not refreshed since `before` (ms): crashed ones. */
    async sweep(me: string, before: number): Promise<number> {
      const stale = (await redis.zrangebyscore(INSTANCES, '-inf', `(${before}`)).filter((instance) => instance !== me);
      let published = 0;
      for (const instance of stale) {
        published += (await redis.eval(SWEEP, 8, ...keys(instance), ...common(), instance, String(before))) as number;
      }
      return published;
    },

    /** Publishes the offlines due by `now` (their grace is over and they opened no stream); how many. */
    async flushLeaving(now = Date.now()): Promise<number> {
      return (await redis.eval(FLUSH, 8, ...keys('-'), ...common(now))) as number;
    },

    /** How many streams a user has open across all instances (tests, diagnostics). */
    async streamsOf(userId: string): Promise<number> {
      return Number((await redis.hget(ONLINE, userId)) ?? 0);
    },
  };
}

export type PresenceStore = ReturnType<typeof createPresenceStore>;
