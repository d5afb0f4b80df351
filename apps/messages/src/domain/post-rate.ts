import { TooManyRequestsError } from '@bundle/kit';
import type { MessageStore } from '../store';

/** How many messages one user may post per window. */
export interface PostRate {
  limit: number;
  windowSeconds: number;
}

export const DEFAULT_POST_RATE: PostRate = { limit: 20, windowSeconds: 10 };

/**
 * Counts a post against the user's window and refuses it past the limit with 429 and
 * Retry-After (the seconds until the window ends). Per user, so one user's flood slows
 * only that user.
 */
export async function checkPostRate(store: MessageStore, userId: string, rate: PostRate): Promise<void> {
  const { count, resetMs } = await store.hitPostRate(userId, rate.windowSeconds * 1000);
  if (count > rate.limit) {
    throw new TooManyRequestsError(`at most ${rate.limit} messages per ${rate.windowSeconds} s; try again shortly`, resetMs / 1000);
  }
}
