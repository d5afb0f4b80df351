import type { EventBus, Logger } from '@bundle/kit';
import { publishMessage } from '../domain/messages';
import type { MessageStore } from '../store';

export interface OutboxRelayDeps {
  store: MessageStore;
  bus: EventBus;
  logger: Logger;
  /** Only messages unpublished for this long are taken: younger ones are still being published by their request. */
  graceMs: number;
  intervalMs: number;
  batchSize?: number;
  now?: () => number;
}

export interface OutboxRelay {
  /** Publishes stored messages the web process could not publish. Returns how many. */
  runOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The other half of the outbox (see domain/messages.ts): finds messages stored but never
 * published and publishes them with their original request id. Each taken id is leased
 * for graceMs, so two relays rarely publish the same message; when it does happen,
 * consumers dedupe on the message id.
 */
export function createOutboxRelay(deps: OutboxRelayDeps): OutboxRelay {
  const now = deps.now ?? Date.now;
  const log = deps.logger.child({ worker: 'outbox' });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  async function runOnce(): Promise<number> {
    const at = now();
    const ids = await deps.store.leaseUnpublished(at - deps.graceMs, at, deps.batchSize ?? 100);
    let published = 0;
    for (const id of ids) {
      const stored = await deps.store.get(id);
      if (stored) {
        await publishMessage(deps.store, deps.bus, stored);
        published += 1;
      } else {
        await deps.store.markPublished(id); // not in the log any more: nothing to publish
      }
    }
    if (published > 0) log.info({ published }, 'published messages left unpublished');
    return published;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error: unknown) => log.warn({ err: { message: (error as Error).message } }, 'outbox round failed, retrying'))
        .finally(schedule);
    }, deps.intervalMs);
  }

  return {
    runOnce,
    start: schedule,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
