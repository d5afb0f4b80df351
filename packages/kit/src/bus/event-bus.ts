import type Redis from 'ioredis';
import { busEntryFields, parseEntries, type BusEvent, type StreamEntry } from './entry';

/**
 * The event bus: one Redis stream on the `event-bus` binding. Producers append; push
 * reads from an id (the stream id is the SSE event id); workers read through a consumer
 * group. The stream is capped (approximately) so it cannot grow without bound. Entries
 * are built and parsed by entry.ts, ids ordered by stream-id.ts.
 */
export const BUS_BINDING = 'event-bus';
export const DEFAULT_STREAM = 'bus:events';
export const DEFAULT_MAX_LENGTH = 100_000;

/** What one XREAD or XRANGE returned: its events, and where the next read starts. */
export interface BusBatch {
  events: BusEvent[];
  /**
   * The id of the last entry read, parsed or skipped (an entry that is not ours still
   * moves the cursor, so a batch of them cannot stall a reader); undefined when the read
   * found nothing.
   */
  lastId: string | undefined;
}

function toBatch(entries: StreamEntry[]): BusBatch {
  return { events: parseEntries(entries), lastId: entries.at(-1)?.[0] };
}

export interface EventBusOptions {
  stream?: string;
  /** Approximate cap on the stream's length (XADD MAXLEN ~). */
  maxLength?: number;
}

export function createEventBus(redis: Redis, options: EventBusOptions = {}) {
  const stream = options.stream ?? DEFAULT_STREAM;
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;

  /** Up to `count` entries in (afterId, untilId] ("0": from the start; "+": to the end), oldest first. */
  const range = async (afterId: string, untilId = '+', count = 1000): Promise<BusBatch> => {
    const start = afterId === '0' ? '-' : `(${afterId}`;
    return toBatch((await redis.xrange(stream, start, untilId, 'COUNT', count)) as StreamEntry[]);
  };

  /**
   * Waits up to blockMs for entries after `afterId` (use "$" only for the very first
   * read). Needs a client made with `blocking: true`, used for nothing else.
   */
  const readBatch = async (blockingClient: Redis, afterId: string, blockMs: number, count = 1000): Promise<BusBatch> => {
    const reply = (await blockingClient.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', stream, afterId)) as
      [string, StreamEntry[]][] | null;
    return toBatch(reply?.[0]?.[1] ?? []);
  };

  return {
    stream,
    /** Appends an event and returns its id. */
    async publish(name: string, payload: object, requestId?: string): Promise<string> {
      return (await redis.xadd(stream, 'MAXLEN', '~', maxLength, '*', ...busEntryFields(name, payload, requestId))) as string;
    },

    range,

    /** Events strictly after `afterId` ("0" for the start), oldest first: range's events alone. */
    async after(afterId: string, count = 1000): Promise<BusEvent[]> {
      return (await range(afterId, '+', count)).events;
    },

    /** The newest `count` events, oldest first. */
    async latest(count: number): Promise<BusEvent[]> {
      return parseEntries(((await redis.xrevrange(stream, '+', '-', 'COUNT', count)) as StreamEntry[]).reverse());
    },

    /** The id of the newest event, or "0" when the stream is empty. */
    async lastId(): Promise<string> {
      const [entry] = (await redis.xrevrange(stream, '+', '-', 'COUNT', 1)) as StreamEntry[];
      return entry?.[0] ?? '0';
    },

    readBatch,

    /** readBatch's events alone. */
    async read(blockingClient: Redis, afterId: string, blockMs: number, count = 1000): Promise<BusEvent[]> {
      return (await readBatch(blockingClient, afterId, blockMs, count)).events;
    },

    /** Creates the consumer group (from the start of the stream) unless it exists. */
    async ensureGroup(group: string): Promise<void> {
      try {
        await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
      } catch (error) {
        if (!(error as Error).message.includes('BUSYGROUP')) throw error;
      }
    },

    /** New events for this consumer of the group ('>'), waiting up to blockMs. */
    async readGroup(blockingClient: Redis, group: string, consumer: string, blockMs: number, count = 100): Promise<BusEvent[]> {
      const reply = (await blockingClient.xreadgroup(
        'GROUP',
        group,
        consumer,
        'COUNT',
        count,
        'BLOCK',
        blockMs,
        'STREAMS',
        stream,
        '>',
      )) as [string, StreamEntry[]][] | null;
      return parseEntries(reply?.[0]?.[1] ?? []);
    },

    /** Takes over events another consumer read but never acknowledged for minIdleMs (a dead worker's). */
    async claimStale(group: string, consumer: string, minIdleMs: number, count = 100): Promise<BusEvent[]> {
      const [, entries] = (await redis.xautoclaim(stream, group, consumer, minIdleMs, '0', 'COUNT', count)) as [
        string,
        StreamEntry[],
        string[]?,
      ];
      return parseEntries(entries.filter((entry) => entry !== null));
    },

    async ack(group: string, ...ids: string[]): Promise<void> {
      if (ids.length > 0) await redis.xack(stream, group, ...ids);
    },
  };
}

export type EventBus = ReturnType<typeof createEventBus>;
