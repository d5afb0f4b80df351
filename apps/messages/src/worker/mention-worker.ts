import { inEventSpan, reconnectDelay, type BusEvent, type EventBus, type Logger, type Redis } from '@bundle/kit';
import { findMentions, normaliseNickname } from '../domain/mentions';
import { MESSAGE_CREATED } from '../domain/messages';
import type { MessageStore } from '../store';
import { pruneIdleConsumers } from './consumers';

export const MENTIONS_GROUP = 'messages-mentions';
export const USER_CREATED = 'user.created';
export const DEFAULT_MAX_MENTIONS = 20;

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
  /** Distinct nicknames counted per message (the first ones in the text). */
  maxMentions?: number;
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
  /** Learns the nicknames of user.created events still on the bus, when none is known yet. */
  backfill(): Promise<void>;
}

function nicknameOf(event: BusEvent): string | undefined {
  const nickname = (event.payload as { nickname?: unknown } | null)?.nickname;
  return typeof nickname === 'string' && nickname !== '' ? normaliseNickname(nickname) : undefined;
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
        // In the trace of the request that published it (its traceparent), when telemetry is on.
        await inEventSpan(event, () => count(event));
        done.push(event.id);
      }
    } finally {
      // Acknowledge what was done even when a later event failed; the rest stays pending.
      await deps.bus.ack(group, ...done);
    }
    return done.length;
  }

  async function count(event: BusEvent): Promise<void> {
    if (event.name === USER_CREATED) return learn(event);
    if (event.name !== MESSAGE_CREATED) return;
    const { id, text } = event.payload as { id?: unknown; text?: unknown };
    if (typeof id !== 'string' || typeof text !== 'string') {
      // Retrying cannot fix a malformed event: acknowledge it rather than hold it forever.
      log.warn({ event_id: event.id }, 'message.created without id or text, skipped');
      return;
    }
    const nicknames = findMentions(text, deps.maxMentions ?? DEFAULT_MAX_MENTIONS);
    if (nicknames.length === 0) return;
    // Keyed by the message id, not the event id: a message the outbox published twice counts once too.
    const counted = await deps.store.countMentionsOnce(id, nicknames, deps.doneTtlSeconds);
    if (!counted) log.debug({ event_id: event.id, message_id: id }, 'already counted');
  }

  /**
   * A user now exists: mentions of their nickname count from here on. The bus is read in
   * order, so a user.created is learnt before any message that names them.
   */
  async function learn(event: BusEvent): Promise<void> {
    const nickname = nicknameOf(event);
    if (nickname === undefined) {
      log.warn({ event_id: event.id }, 'user.created without a nickname, skipped');
      return;
    }
    await deps.store.learnNicknames(nickname);
  }

  /**
   * The first time this version runs, the set of known nicknames is empty although users
   * exist: learn those whose user.created the bus still holds. Users older than the bus's
   * retention are learnt by no event; their mentions are not counted.
   */
  async function backfill(): Promise<void> {
    if (await deps.store.knowsNicknames()) return;
    let after = '0';
    let learnt = 0;
    for (;;) {
      const events = await deps.bus.after(after, 1000);
      if (events.length === 0) break;
      const nicknames = events
        .filter((event) => event.name === USER_CREATED)
        .map(nicknameOf)
        .filter((nickname) => nickname !== undefined);
      await deps.store.learnNicknames(...nicknames);
      learnt += nicknames.length;
      after = events.at(-1)!.id;
    }
    log.info({ learnt }, 'learnt the nicknames the event bus still holds');
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
    backfill,
    async start() {
      await deps.bus.ensureGroup(group);
      await backfill();
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
