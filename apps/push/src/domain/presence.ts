import type { Logger } from '@bundle/kit';
import type { PresenceStore } from '../store';

export interface PresenceOptions {
  store: PresenceStore;
  /** Unique per process: a restarted instance must not inherit a crashed one's counts. */
  instance: string;
  refreshMs: number;
  logger: Logger;
  /** Streams one user may hold on all instances together (0 or absent: no limit); see opened(). */
  maxStreamsPerUser?: number;
  /** How often the offlines whose grace (or cooldown) is over are published (ms); 0 when there is neither. */
  flushMs?: number;
}

/**
 * Who has a stream open on this instance. This process's map is the truth for its own
 * streams; Redis holds the sum over instances (see store.ts). A failed update is only
 * logged: the next refresh rewrites this instance's counts from the map and publishes
 * whatever transition was missed.
 */
export function createPresence(options: PresenceOptions) {
  const { store, instance, logger } = options;
  const local = new Map<string, { count: number; nickname: string }>();
  let timer: NodeJS.Timeout | undefined;
  let flushTimer: NodeJS.Timeout | undefined;
  let flushing = false;
  let refreshing: Promise<void> | undefined;

  // Each change is sent to Redis in the same tick as the map changes, on one connection,
  // so Redis sees opens, closes and refreshes in the order this process made them.
  const count = (user: { id: string; nickname: string }, delta: 1 | -1): void => {
    const entry = local.get(user.id) ?? { count: 0, nickname: user.nickname };
    entry.count += delta;
    if (entry.count > 0) local.set(user.id, entry);
    else local.delete(user.id);
  };
  // Resolves false when Redis refused an open for the user's limit on all instances (then it
  // is not counted here either). A failed update lets the stream be: this instance's own
  // per-user quota still holds, and the next refresh repairs the counts.
  const change = (user: { id: string; nickname: string }, delta: 1 | -1): Promise<boolean> => {
    count(user, delta);
    const limit = delta > 0 ? (options.maxStreamsPerUser ?? 0) : 0;
    return store.change(instance, user, delta, Date.now(), limit).then(
      (result) => {
        if (result !== 'over') return true;
        count(user, -1);
        return false;
      },
      (error: unknown) => {
        logger.warn(
          { err: { message: (error as Error).message }, user_id: user.id },
          'presence update failed; the next refresh repairs it',
        );
        return true;
      },
    );
  };

  const refresh = (): Promise<void> => {
    refreshing ??= (async () => {
      try {
        await store.reconcile(instance, local.entries());
        const swept = await store.sweep(instance, Date.now() - 3 * options.refreshMs);
        if (swept > 0) logger.info({ offline: swept }, 'took users of a silent push instance offline');
      } catch (error) {
        logger.warn({ err: { message: (error as Error).message } }, 'presence refresh failed');
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  };

  return {
    instance,
    /** Counts a stream the user opened; false when it would pass their limit on all instances (nothing counted). */
    opened: (user: { id: string; nickname: string }) => change(user, 1),
    closed: (user: { id: string; nickname: string }) => change(user, -1).then(() => undefined),
    refresh,
    start(): void {
      timer ??= setInterval(() => void refresh(), options.refreshMs);
      timer.unref();
      if (options.flushMs && options.flushMs > 0) {
        // Every instance flushes: whichever comes first publishes a due offline, once (a script).
        flushTimer ??= setInterval(() => {
          if (flushing) return;
          flushing = true;
          void store
            .flushLeaving()
            .catch((error: unknown) =>
              logger.warn({ err: { message: (error as Error).message } }, 'publishing due offlines failed; the next flush retries'),
            )
            .finally(() => (flushing = false));
        }, options.flushMs);
        flushTimer.unref();
      }
    },
    stop(): void {
      clearInterval(timer);
      clearInterval(flushTimer);
      timer = undefined;
      flushTimer = undefined;
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
