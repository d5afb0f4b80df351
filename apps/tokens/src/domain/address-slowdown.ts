import { setTimeout as sleep } from 'node:timers/promises';
import { LoginTurns } from './login-turns';

/**
 * What an address that has failed many logins meets instead of a lockout (README, "Failed-
 * login limits"): its logins go through a lane of their own, two with the users app at a
 * time and four waiting, and the answer to each wrong password from it is held a while
 * before it goes out, holding its place. One client there guesses at most two passwords per
 * delay; a right password, anyone's, is answered at once and never refused for the count.
 * Per instance, in memory, bounded: at most IN_FLIGHT_LIMIT logins of slowed addresses at
 * once (running, waiting or held), far below the router's connections per instance, so
 * slowed clients can never take the places everyone else's requests need.
 */
export const SLOWED_CONCURRENT = 2;
export const SLOWED_WAITING = 4;
/** The hold grows by this much with each failure past the address's limit... */
export const DELAY_STEP_MS = 1000;
/** ...up to this: under Cloud Foundry's 10 s between SIGTERM and kill, so a drain never waits on it. */
export const MAX_DELAY_MS = 5000;
export const IN_FLIGHT_LIMIT = 128;

export interface SlowdownOptions {
  stepMs: number;
  maxDelayMs: number;
  inFlightLimit: number;
  /** How a held answer waits (tests pass their own clock). */
  wait: (ms: number) => Promise<unknown>;
}

export class AddressSlowdown {
  private readonly lanes = new LoginTurns(SLOWED_CONCURRENT, SLOWED_WAITING);
  private readonly options: SlowdownOptions;
  private inFlight = 0;

  constructor(options: Partial<SlowdownOptions> = {}) {
    this.options = { stepMs: DELAY_STEP_MS, maxDelayMs: MAX_DELAY_MS, inFlightLimit: IN_FLIGHT_LIMIT, wait: sleep, ...options };
  }

  /** How long a wrong password is held, for an address with `past` failures beyond its limit (0 at the limit). */
  delayMs(past: number): number {
    return Math.min(this.options.maxDelayMs, this.options.stepMs * (Math.max(0, past) + 1));
  }

  /** Resolves with the function that gives the address's place back, or undefined when its lane (or the instance's bound) is full. */
  async take(address: string): Promise<(() => void) | undefined> {
    if (this.inFlight >= this.options.inFlightLimit) return undefined;
    this.inFlight += 1;
    const endTurn = await this.lanes.take(address);
    if (endTurn === undefined) {
      this.inFlight -= 1;
      return undefined;
    }
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight -= 1;
      endTurn();
    };
  }

  /** Holds a wrong password's answer (its place stays taken meanwhile). */
  async hold(ms: number): Promise<void> {
    await this.options.wait(ms);
  }

  /** Logins of slowed addresses under way, waiting or held (for tests and metrics). */
  get size(): number {
    return this.inFlight;
  }
}
