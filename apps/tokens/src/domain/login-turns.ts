/**
 * Turns for the logins of one (nickname, client address) pair: at most CONCURRENT of them
 * are with the users app at once, up to WAITING more wait for a turn, and the next is
 * refused. The users app checks one password at a time and queues a few (its hash gate):
 * without turns, one client looping logins of one account filled that gate and every
 * other user got 503. Turns keep a user's ten tabs logging in together (two at a time) and
 * cost an attacker with one account all but two places. Per instance, in memory: a turn
 * lasts one call to the users app, bounded by its timeout.
 */
export const CONCURRENT_LOGINS = 2;
export const WAITING_LOGINS = 8;

interface Lane {
  running: number;
  waiting: Array<() => void>;
}

export class LoginTurns {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly concurrent = CONCURRENT_LOGINS,
    private readonly maxWaiting = WAITING_LOGINS,
  ) {}

  /** Resolves when `key` may go on, with the function that ends its turn; undefined when too many already wait. */
  async take(key: string): Promise<(() => void) | undefined> {
    let lane = this.lanes.get(key);
    if (lane === undefined) {
      lane = { running: 0, waiting: [] };
      this.lanes.set(key, lane);
    }
    if (lane.running < this.concurrent) lane.running += 1;
    else if (lane.waiting.length >= this.maxWaiting) return undefined;
    else {
      const queue = lane.waiting;
      await new Promise<void>((resolve) => queue.push(resolve)); // a turn ending hands its place over
    }
    const taken = lane;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const next = taken.waiting.shift();
      if (next !== undefined) return next();
      taken.running -= 1;
      if (taken.running === 0) this.lanes.delete(key);
    };
  }

  /** Pairs with a login under way or waiting (for tests and metrics). */
  get size(): number {
    return this.lanes.size;
  }
}
