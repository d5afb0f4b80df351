import type { Redis } from '@bundle/kit';

/**
 * The tokens app's own keys (prefix `tokens:`): failed-login counters, one fixed window
 * each, shared by every instance through the tokens-db Redis.
 *   tokens:fail:nick:<nickname, NFKC, lower case>   tokens:fail:ip:<client address>
 */
export const nicknameKey = (nickname: string): string => `tokens:fail:nick:${nickname.normalize('NFKC').toLowerCase()}`;
export const addressKey = (address: string): string => `tokens:fail:ip:${address}`;

/**
 * Checks every counter and, when all are under their limit, counts this attempt in each,
 * in one atomic step: a burst of parallel guesses cannot all slip past the check before
 * any of them is counted. A window starts with its first count (PEXPIRE on 1), so it is
 * fixed, not sliding. Answers {0, ms until the blocking windows end} or {1, 0}.
 */
const RESERVE = `
local blockedFor = -1
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i + 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then
      redis.call('PEXPIRE', key, ARGV[1])
      ttl = tonumber(ARGV[1])
    end
    if ttl > blockedFor then blockedFor = ttl end
  end
end
if blockedFor >= 0 then return {0, blockedFor} end
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return {1, 0}
`;

/** Takes back an attempt that turned out not to be a failure; a window that has ended stays ended. */
const REFUND = `
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 and redis.call('DECR', key) <= 0 then redis.call('DEL', key) end
end
return 0
`;

export interface Counter {
  key: string;
  max: number;
}

export type Reservation = { allowed: true } | { allowed: false; retryAfterMs: number };

export function createLoginStore(redis: Redis) {
  return {
    async reserveAttempt(counters: Counter[], windowMs: number): Promise<Reservation> {
      const keys = counters.map((counter) => counter.key);
      const limits = counters.map((counter) => String(counter.max));
      const [allowed, retryAfterMs] = (await redis.eval(RESERVE, keys.length, ...keys, String(windowMs), ...limits)) as [number, number];
      return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterMs };
    },
    async refundAttempt(keys: string[]): Promise<void> {
      if (keys.length > 0) await redis.eval(REFUND, keys.length, ...keys);
    },
    async clear(keys: string[]): Promise<void> {
      if (keys.length > 0) await redis.del(...keys);
    },
    /** How many failures a key holds now (tests and operators). */
    async failures(key: string): Promise<number> {
      return Number((await redis.get(key)) ?? 0);
    },
  };
}

export type LoginStore = ReturnType<typeof createLoginStore>;
