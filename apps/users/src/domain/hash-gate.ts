import { ServiceUnavailableError } from '@bundle/kit';

/**
 * Bounds the password hashes one instance runs at once. Each scrypt hash holds 128 * N * r
 * bytes outside the JavaScript heap (32 MiB at N = 2^15, r = 8) until it ends, so the
 * instance's memory grows with every hash in flight: concurrency sets that bound, and a
 * bounded queue behind it turns a burst into waiting, then into 503 + Retry-After, never
 * into a process the platform kills for its memory.
 */
export interface HashGateOptions {
  /** Hashes running at once. */
  concurrency: number;
  /** Hashes waiting for a slot; one more answers 503. */
  queueLimit: number;
  retryAfterSeconds: number;
}

export interface HashGate {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Hashes running and waiting now (metrics and tests). */
  load(): { running: number; waiting: number };
}

export function createHashGate(options: HashGateOptions): HashGate {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running < options.concurrency) {
        running += 1;
      } else {
        if (waiting.length >= options.queueLimit) {
          throw new ServiceUnavailableError('too many password checks at once: try again shortly', {
            retryAfterSeconds: options.retryAfterSeconds,
          });
        }
        // The slot is handed over by the hash that ends (running stays the same).
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running -= 1;
      }
    },
    load: () => ({ running, waiting: waiting.length }),
  };
}
