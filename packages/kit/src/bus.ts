import type Redis from 'ioredis';
import { currentTrace, outgoingTraceparent } from './trace';

/**
 * The event bus contract: one Redis stream on the `event-bus` binding. Producers append;
 * push reads from an id (the stream id is the SSE event id); workers read through a
 * consumer group. The stream is capped (approximately) so it cannot grow without bound.
 */
export interface BusEvent<P = Record<string, unknown>> {
  /** The stream id, e.g. "1700000000000-0". */
  id: string;
  /** What happened, e.g. "message.created". */
  name: string;
  /** When it was published, ISO 8601. */
  time: string;
  payload: P;
  request_id?: string;
  /** The W3C traceparent of the request that published it (same trace id), for a consumer to continue the trace. */
  traceparent?: string;
}

export const BUS_BINDING = 'event-bus';
export const DEFAULT_STREAM = 'bus:events';
export const DEFAULT_MAX_LENGTH = 100_000;
const STREAM_ID = /^\d{1,20}-\d{1,20}$/;
const MAX_ID_PART = 2n ** 64n - 1n;

/**
 * True for a Redis stream id ("<ms>-<seq>", each part an unsigned 64-bit number): what
 * Last-Event-ID and ?after= must be. Twenty digits can pass 2^64 - 1, which Redis refuses.
 */
export function isStreamId(value: string): boolean {
  return STREAM_ID.test(value) && value.split('-').every((part) => BigInt(part) <= MAX_ID_PART);
}

type StreamEntry = [id: string, fields: string[]];

/** Turns XRANGE/XREAD entries into events; an entry that is not ours is skipped, not fatal. */
export function parseEntries(entries: StreamEntry[]): BusEvent[] {
  const events: BusEvent[] = [];
  for (const [id, fields] of entries) {
    const record: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i] as string] = fields[i + 1] as string;
    if (!record.name || record.payload === undefined) continue;
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(record.payload) as Record<string, unknown>;
    } catch {
      continue;
    }
    const event: BusEvent = { id, name: record.name, time: record.time ?? '', payload };
    if (record.request_id) event.request_id = record.request_id;
    if (record.traceparent) event.traceparent = record.traceparent;
    events.push(event);
  }
  return events;
}

/**
 * The fields of one bus entry, as every producer writes them (XADD ... * <fields>). Inside
 * a request, the request id (when not given) and a traceparent come from its trace.
 */
export function busEntryFields(name: string, payload: object, requestId?: string): string[] {
  const fields = ['name', name, 'time', new Date().toISOString(), 'payload', JSON.stringify(payload)];
  const trace = currentTrace();
  const id = requestId ?? trace?.requestId;
  if (id) fields.push('request_id', id);
  if (trace) fields.push('traceparent', outgoingTraceparent(trace));
  return fields;
}

export interface EventBusOptions {
  stream?: string;
  /** Approximate cap on the stream's length (XADD MAXLEN ~). */
  maxLength?: number;
}

export function createEventBus(redis: Redis, options: EventBusOptions = {}) {
  const stream = options.stream ?? DEFAULT_STREAM;
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;

  return {
    stream,
    /** Appends an event and returns its id. */
    async publish(name: string, payload: object, requestId?: string): Promise<string> {
      return (await redis.xadd(stream, 'MAXLEN', '~', maxLength, '*', ...busEntryFields(name, payload, requestId))) as string;
    },

    /** Events strictly after `afterId` ("0" for the start), oldest first. */
    async after(afterId: string, count = 1000): Promise<BusEvent[]> {
      const start = afterId === '0' ? '-' : `(${afterId}`;
      return parseEntries((await redis.xrange(stream, start, '+', 'COUNT', count)) as StreamEntry[]);
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

    /**
     * Waits up to blockMs for events after `afterId` (use "$" only for the very first
     * read). Needs a client made with `blocking: true`, used for nothing else.
     */
    async read(blockingClient: Redis, afterId: string, blockMs: number, count = 1000): Promise<BusEvent[]> {
      const reply = (await blockingClient.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', stream, afterId)) as
        [string, StreamEntry[]][] | null;
      return parseEntries(reply?.[0]?.[1] ?? []);
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
