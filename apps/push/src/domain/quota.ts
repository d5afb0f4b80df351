import { ServiceUnavailableError, TooManyRequestsError } from '@bundle/kit';

/** What a client over the limit is told to wait: streams free up when their tabs close or reconnect. */
export const QUOTA_RETRY_AFTER_SECONDS = 5;

/** What a client refused by a full instance is told to wait: the router may send it to another. */
export const FULL_RETRY_AFTER_SECONDS = 2;

/** The 429 for a user who holds all the streams they may (on this instance, or on all of them together). */
export const overUserLimit = (maxPerUser: number): TooManyRequestsError =>
  new TooManyRequestsError(
    `too many event streams open for this user (at most ${maxPerUser}); close one or try again later`,
    QUOTA_RETRY_AFTER_SECONDS,
  );

export interface StreamLimits {
  /** Streams one user may hold (checked here per instance; presence checks it on all instances). */
  maxPerUser: number;
  /** Streams one client address may hold on this instance: bounds how many accounts one client can fill it with. */
  maxPerAddress?: number;
  /** Streams this instance holds in all. */
  maxTotal?: number;
}

/** Counts per key, one map entry per key with streams. */
function counter() {
  const open = new Map<string, number>();
  return {
    of: (key: string): number => open.get(key) ?? 0,
    add(key: string): void {
      open.set(key, (open.get(key) ?? 0) + 1);
    },
    remove(key: string): void {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    },
  };
}

/**
 * Streams per user, per client address, and on the instance in all: past its memory an
 * instance would die of it (and every stream on it reconnect elsewhere at once), so the
 * next stream is refused with 503 and Retry-After instead; a user or an address over its
 * share gets 429 and Retry-After, so that others still get a stream however many accounts
 * one client holds. Taken synchronously before the stream's first await, so a burst of
 * opens cannot all pass the check together; every taken slot is given back exactly once
 * (the release function is idempotent).
 */
export function createStreamQuota(limits: StreamLimits) {
  const { maxPerUser, maxPerAddress = Infinity, maxTotal = Infinity } = limits;
  const users = counter();
  const addresses = counter();
  let total = 0;

  return {
    /** Takes a slot for the user at the address, or throws 503/429 with Retry-After; call the result when the stream ends. */
    take(userId: string, address: string): () => void {
      if (total >= maxTotal) {
        throw new ServiceUnavailableError(`this instance holds all the event streams it can (${maxTotal}); try again shortly`, {
          retryAfterSeconds: FULL_RETRY_AFTER_SECONDS,
        });
      }
      if (users.of(userId) >= maxPerUser) throw overUserLimit(maxPerUser);
      if (addresses.of(address) >= maxPerAddress) {
        throw new TooManyRequestsError(
          `too many event streams open from this address (at most ${maxPerAddress} on an instance); close one or try again later`,
          QUOTA_RETRY_AFTER_SECONDS,
        );
      }
      users.add(userId);
      addresses.add(address);
      total += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total -= 1;
        users.remove(userId);
        addresses.remove(address);
      };
    },
    /** Streams open on this instance now. */
    get total(): number {
      return total;
    },
    /** Streams the user holds on this instance now. */
    of: (userId: string): number => users.of(userId),
    /** Streams opened from the address on this instance now. */
    fromAddress: (address: string): number => addresses.of(address),
  };
}

export type StreamQuota = ReturnType<typeof createStreamQuota>;
