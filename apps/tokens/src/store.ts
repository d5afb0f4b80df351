import type { Redis } from '@bundle/kit';
import { RateLimiterRedis } from 'rate-limiter-flexible';

/**
 * The tokens app's own keys (prefix `tokens:`): failed-login counters, one fixed window
 * each, shared by every instance through the tokens-db Redis.
 *   tokens:fail:pair:<nickname, NFKC lower case, URI-encoded>@<client address>
 *   tokens:fail:ip:<client address>
 * Nothing counts per nickname alone: whoever fails against a nickname from their address
 * blocks that pair, never the account's owner elsewhere. The address count refuses nobody:
 * past its limit the address's logins are slowed (domain/address-slowdown.ts).
 */
const PAIR_PREFIX = 'tokens:fail:pair';
const ADDRESS_PREFIX = 'tokens:fail:ip';
/** Nicknames are at most 32 characters; a longer one names nobody, so cutting it only bounds the key. */
const NICKNAME_KEY_MAX = 100;

const pairId = (nickname: string, address: string): string =>
  `${encodeURIComponent(nickname.normalize('NFKC').toLowerCase().slice(0, NICKNAME_KEY_MAX))}@${address}`;
/** The Redis key of a (nickname, address) pair's failures. */
export const pairKey = (nickname: string, address: string): string => `${PAIR_PREFIX}:${pairId(nickname, address)}`;
/** The Redis key of an address's failures. */
export const addressKey = (address: string): string => `${ADDRESS_PREFIX}:${address}`;

export interface FailureLimits {
  maxFailuresPerNicknameAndAddress: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

/**
 * Whether the pair may try, and whether its address is slowed: `slowedPast` is how many
 * wrong passwords the address has beyond its limit in the window (0 at the limit),
 * undefined while it is under it.
 */
export type Standing = ({ allowed: true } | { allowed: false; retryAfterMs: number }) & { slowedPast?: number };

/**
 * The counters, on rate-limiter-flexible's Redis limiter (a Lua script per count; a
 * window starts with its first failure and is not extended by later ones).
 */
export function createLoginStore(redis: Redis, limits: FailureLimits) {
  const byPair = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: PAIR_PREFIX,
    points: limits.maxFailuresPerNicknameAndAddress,
    duration: limits.windowSeconds,
  });
  const byAddress = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: ADDRESS_PREFIX,
    points: limits.maxFailuresPerAddress,
    duration: limits.windowSeconds,
  });
  return {
    /** Whether this pair may try, and its address's count; reading only, so parallel attempts never count against each other. */
    async standing(nickname: string, address: string): Promise<Standing> {
      const [pair, ip] = await Promise.all([byPair.get(pairId(nickname, address)), byAddress.get(address)]);
      const past = (ip?.consumedPoints ?? 0) - limits.maxFailuresPerAddress;
      const slowed = past >= 0 ? { slowedPast: past } : {};
      if (pair && pair.consumedPoints >= limits.maxFailuresPerNicknameAndAddress)
        return { allowed: false, retryAfterMs: pair.msBeforeNext, ...slowed };
      return { allowed: true, ...slowed };
    },
    /** Counts a wrong password against the pair and the address. */
    async recordFailure(nickname: string, address: string): Promise<void> {
      await Promise.all([byPair.penalty(pairId(nickname, address)), byAddress.penalty(address)]);
    },
    /** A right password ends the pair's count; the address's stays (a success must not wash away other guesses). */
    async recordSuccess(nickname: string, address: string): Promise<void> {
      await byPair.delete(pairId(nickname, address));
    },
  };
}

export type LoginStore = ReturnType<typeof createLoginStore>;
