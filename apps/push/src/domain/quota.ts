import { TooManyRequestsError } from '@bundle/kit';

/** What a client over the limit is told to wait: streams free up when their tabs close or reconnect. */
export const QUOTA_RETRY_AFTER_SECONDS = 5;

/**
 * Streams per user on this instance. Taken synchronously before the stream's first await,
 * so a burst of opens cannot all pass the check together; every taken slot is given back
 * exactly once (the release function is idempotent). One map entry per user with streams.
 */
export function createStreamQuota(maxPerUser: number) {
  const open = new Map<string, number>();

  return {
    /** Takes a slot for the user, or throws 429 with Retry-After; call the result when the stream ends. */
    take(userId: string): () => void {
      const count = open.get(userId) ?? 0;
      if (count >= maxPerUser) {
        throw new TooManyRequestsError(`too many event streams open for this user (at most ${maxPerUser} per instance); close one or try again later`, QUOTA_RETRY_AFTER_SECONDS);
      }
      open.set(userId, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(userId) ?? 1) - 1;
        if (left > 0) open.set(userId, left);
        else open.delete(userId);
      };
    },
    /** Streams the user holds on this instance now. */
    of(userId: string): number {
      return open.get(userId) ?? 0;
    },
  };
}

export type StreamQuota = ReturnType<typeof createStreamQuota>;
