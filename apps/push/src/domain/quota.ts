import { ServiceUnavailableError, TooManyRequestsError } from '@bundle/kit';

/** What a client over the limit is told to wait: streams free up when their tabs close or reconnect. */
export const QUOTA_RETRY_AFTER_SECONDS = 5;

/** What a client refused by a full instance is told to wait: the router may send it to another. */
export const FULL_RETRY_AFTER_SECONDS = 2;

/**
 * Streams per user on this instance, and on the instance in all: past its memory an
 * instance would die of it (and every stream on it reconnect elsewhere at once), so the
 * next stream is refused with 503 and Retry-After instead. Taken synchronously before the stream's first await,
 * so a burst of opens cannot all pass the check together; every taken slot is given back
 * exactly once (the release function is idempotent). One map entry per user with streams.
 */
export function createStreamQuota(maxPerUser: number, maxTotal = Infinity) {
  const open = new Map<string, number>();
  let total = 0;

  return {
    /** Takes a slot for the user, or throws 429 with Retry-After; call the result when the stream ends. */
    take(userId: string): () => void {
      if (total >= maxTotal) {
        throw new ServiceUnavailableError(`this instance holds all the event streams it can (${maxTotal}); try again shortly`, {
          retryAfterSeconds: FULL_RETRY_AFTER_SECONDS,
        });
      }
      const count = open.get(userId) ?? 0;
      if (count >= maxPerUser) {
        throw new TooManyRequestsError(
          `too many event streams open for this user (at most ${maxPerUser} per instance); close one or try again later`,
          QUOTA_RETRY_AFTER_SECONDS,
        );
      }
      open.set(userId, count + 1);
      total += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total -= 1;
        const left = (open.get(userId) ?? 1) - 1;
        if (left > 0) open.set(userId, left);
        else open.delete(userId);
      };
    },
    /** Streams open on this instance now. */
    get total(): number {
      return total;
    },
    /** Streams the user holds on this instance now. */
    of(userId: string): number {
      return open.get(userId) ?? 0;
    },
  };
}

export type StreamQuota = ReturnType<typeof createStreamQuota>;
