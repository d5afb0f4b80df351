import { reconnectDelay, type BusEvent, type EventBus, type Logger, type Redis } from '@bundle/kit';
import { findMentions } from '../domain/mentions';
import { MESSAGE_CREATED } from '../domain/messages';
import type { MessageStore } from '../store';
import { pruneIdleConsumers } from './consumers';

export const MENTIONS_GROUP = 'messages-mentions';

export interface MentionWorkerDeps {
  bus: EventBus;
  /** A client on the event-bus binding used only for the blocking group read. */
  blockingRedis: Redis;
  store: MessageStore;
  logger: Logger;
  /** This process's name in the consumer group (unique per process: instance, host, pid). */
  consumer: string;
  group?: string;
  /** An event unacknowledged this long by another consumer is taken over. */
  claimMinIdleMs: number;
  /** How long a read waits for new events (must be > 0: Redis reads 0 as "forever"). */
  blockMs: number;
  batchSize?: number;
  doneTtlSeconds: number;
  /** When given, consumers idle this long with nothing pending are removed from the group, once per that period. */
  pruneIdleMs?: number;
  /** The event-bus client for housekeeping (XINFO/XGROUP); needed with pruneIdleMs. */
  busRedis?: Redis;
  now?: () => number;
}

export interface MentionWorker {
  /** One round: take over stale events, read new ones, count and acknowledge. Returns how many were handled. */
  runOnce(): Promise<number>;
  /** Creates the group if needed and runs rounds until stop(). */
  start(): Promise<void>;
  /** Lets the current round finish (acknowledging what it did), then resolves. */
  stop(): Promise<void>;
}

/**
 * Counts `@nickname` mentions from `message.created` events, through a consumer group:
 * at least once (an event is acknowledged only after its count is written), so the count
 * itself is idempotent per message id (see store.countMentionsOnce). Events a dead worker
 * read but never acknowledged are taken over after claimMinIdleMs.
 */
export function createMentionWorker(deps: MentionWorkerDeps): MentionWorker {
  const group = deps.group ?? MENTIONS_GROUP;
  const batchSize = deps.batchSize ?? 100;
  const log = deps.logger.child({ worker: 'mentions', consumer: deps.consumer });
  let stopping = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  const now = deps.now ?? Date.now;
  let prunedAt = now();

  async function handle(events: BusEvent[]): Promise<number> {
    const done: string[] = [];
    try {
      for (const event of events) {
        await count(event);
        done.push(event.id);
      }
    } finally {
      // Acknowledge what was done even when a later event failed; the rest stays pending.
      await deps.bus.ack(group, ...done);
    }
    return done.length;
  }

  async function count(event: BusEvent): Promise<void> {
    if (event.name !== MESSAGE_CREATED) return;
    const { id, text } = event.payload as { id?: unknown; text?: unknown };
    if (typeof id !== 'string' || typeof text !== 'string') {
      // Retrying cannot fix a malformed event: acknowledge it rather than hold it forever.
      log.warn({ event_id: event.id }, 'message.created without id or text, skipped');
      return;
    }
    const nicknames = findMentions(text);
    if (nicknames.length === 0) return;
    // Keyed by the message id, not the event id: a message the outbox published twice counts once too.
    const counted = await deps.store.countMentionsOnce(id, nicknames, deps.doneTtlSeconds);
    if (!counted) log.debug({ event_id: event.id, message_id: id }, 'already counted');
  }

  async function runOnce(): Promise<number> {
    const stale = await deps.bus.claimStale(group, deps.consumer, deps.claimMinIdleMs, batchSize);
    let handled = await handle(stale);
    if (stale.length > 0) log.info({ claimed: stale.length }, 'took over events left pending by another consumer');
    const fresh = await deps.bus.readGroup(deps.blockingRedis, group, deps.consumer, deps.blockMs, batchSize);
    handled += await handle(fresh);
    if (handled > 0) log.info({ handled }, 'events processed');
    await prune();
    return handled;
  }

  async function prune(): Promise<void> {
    if (deps.pruneIdleMs === undefined || !deps.busRedis || now() - prunedAt < deps.pruneIdleMs) return;
    prunedAt = now();
    const removed = await pruneIdleConsumers(deps.busRedis, deps.bus.stream, group, deps.pruneIdleMs, deps.consumer);
    if (removed.length > 0) log.info({ removed }, 'removed idle consumers left by earlier processes');
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      try {
        await runOnce();
        failures = 0;
      } catch (error) {
        const message = (error as Error).message;
        if (failures === 0) log.warn({ err: { message } }, 'round failed, retrying');
        failures += 1;
        // The bus was emptied (a Redis without persistence restarted): the group must be made again.
        if (message.includes('NOGROUP')) await deps.bus.ensureGroup(group).catch(() => undefined);
        await pause(reconnectDelay(failures));
      }
    }
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  return {
    runOnce,
    async start() {
      await deps.bus.ensureGroup(group);
      log.info({ group, claim_min_idle_ms: deps.claimMinIdleMs }, 'consuming the event bus');
      loop = run();
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
      log.info('stopped');
    },
  };
}
