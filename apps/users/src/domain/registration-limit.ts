import { TooManyRequestsError, type Redis } from '@bundle/kit';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface RegistrationLimitOptions {
  /** Registrations one client address may attempt per window. */
  perAddress: number;
  windowSeconds: number;
}

export interface RegistrationLimit {
  /** Counts an attempt from this address, or throws 429 with Retry-After when its window is used up. */
  take(address: string): Promise<void>;
  /** Gives an attempt back when it failed for reasons of ours (hashing busy, Redis), not the caller's. */
  giveBack(address: string): Promise<void>;
}

/**
 * Registrations per client address in a fixed window, kept in the users-db Redis so every
 * instance shares them (keys `users:register:ip:<address>`). The count is taken before the
 * password is hashed, atomically, so a burst of parallel registrations cannot pass together.
 */
export function createRegistrationLimit(redis: Redis, options: RegistrationLimitOptions): RegistrationLimit {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: 'users:register:ip',
    points: options.perAddress,
    duration: options.windowSeconds,
  });
  return {
    async take(address) {
      try {
        await limiter.consume(address);
      } catch (rejection) {
        // The library rejects with its result when the window is used up, with an Error when Redis fails.
        if (rejection instanceof RateLimiterRes) {
          throw new TooManyRequestsError(
            'too many registrations from this address: wait before trying again',
            rejection.msBeforeNext / 1000,
          );
        }
        throw rejection;
      }
    },
    async giveBack(address) {
      await limiter.reward(address);
    },
  };
}
