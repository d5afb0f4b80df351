import {
  createEventBus,
  inDeliverySpan,
  reconnectDelay,
  toTokenRevoked,
  TOKEN_REVOKED,
  toKeyRetired,
  TOKEN_KEY_RETIRED,
  type BusEvent,
  type Logger,
  type Redis,
} from '@bundle/kit';
import type { StreamClient } from './client';
import { formatEvent, HEARTBEAT, STREAMED_EVENTS } from './sse';
import { createTokenWatch, type TokenWatch } from './token-watch';

export interface FanoutOptions {
  /** A client made with `blocking: true`, owned by the fan-out (stop() disconnects it). */
  blocking: Redis;
  stream: string;
  logger: Logger;
  heartbeatMs: number;
  blockMs?: number;
  batchSize?: number;
  /** How often streams are checked for an expired token (ms); a stream ends within this of its exp. */
  expirySweepMs?: number;
}

const HEARTBEAT_BYTES = Buffer.from(HEARTBEAT);

/**
 * One blocking reader per process, whatever the number of clients: it waits on the bus
 * (XREAD BLOCK), formats each batch once, and writes the same string to every local
 * stream. Catching-up clients hold the batch instead (see StreamClient). One timer
 * writes the heartbeat comment to every stream. A `token.revoked` on the bus and a
 * sweep once a second end the streams whose token is no longer good (token-watch.ts).
 */
export function createFanout(options: FanoutOptions) {
  const { blocking, logger } = options;
  const bus = createEventBus(blocking, { stream: options.stream });
  const blockMs = options.blockMs ?? 5000;
  const batchSize = options.batchSize ?? 1000;
  const clients = new Set<StreamClient>();
  let cursor: string | undefined;
  let stopped = false;
  let loop: Promise<void> | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let expirySweep: NodeJS.Timeout | undefined;
  const watch: TokenWatch = createTokenWatch();
  let markReading: () => void = () => undefined;
  // stop() must not wait on a command queued while Redis is away: ioredis may never settle it.
  let markStopped: () => void = () => undefined;
  const stopping = new Promise<'stopped'>((resolve) => (markStopped = () => resolve('stopped')));
  const unlessStopped = <T>(work: Promise<T>): Promise<T | 'stopped'> => {
    work.catch(() => undefined); // settled after stop: nobody is waiting any more
    return Promise.race([work, stopping]);
  };
  const reading = new Promise<void>((resolve) => (markReading = resolve));

  const dispatch = (events: BusEvent[]): void => {
    // Revocations first: nothing more is written to a stream whose token is revoked.
    for (const event of events) {
      const revoked = event.name === TOKEN_REVOKED ? toTokenRevoked(event.payload) : undefined;
      if (revoked !== undefined) {
        const ended = watch.revoke(revoked, clients);
        if (ended > 0) logger.info({ streams: ended, request_id: event.request_id }, 'ended the streams of a revoked token');
      }
      const retiredKey = event.name === TOKEN_KEY_RETIRED ? toKeyRetired(event.payload) : undefined;
      if (retiredKey !== undefined) {
        const ended = watch.retireKey(retiredKey, clients);
        logger.info({ streams: ended, kid: retiredKey, request_id: event.request_id }, 'ended the streams of a retired signing key');
      }
    }
    const streamed = events.filter((event) => STREAMED_EVENTS.has(event.name));
    if (streamed.length === 0) return;
    // Encoded once and the same bytes handed to every stream: a string would be encoded
    // again for each of them, and copied for each socket that cannot take it at once.
    const frames = Buffer.from(streamed.map(formatEvent).join(''));
    // One span per pass, linked to each event's publishing request (with telemetry on).
    inDeliverySpan(streamed, { 'push.streams': clients.size }, () => {
      for (const client of clients) client.deliver(streamed, frames);
    });
  };

  const run = async (): Promise<void> => {
    let failures = 0;
    while (!stopped) {
      try {
        if (cursor === undefined) {
          const last = await unlessStopped(bus.lastId());
          if (last === 'stopped') break;
          cursor = last;
          markReading();
        }
        const batch = await unlessStopped(bus.readBatch(blocking, cursor, blockMs, batchSize));
        if (batch === 'stopped' || stopped) break;
        if (failures > 0) logger.info('bus reader resumed');
        failures = 0;
        // Dispatch and cursor move in one synchronous step: a client registering in
        // between sees either both or neither (see routes/events.ts).
        if (batch.lastId !== undefined) {
          dispatch(batch.events);
          cursor = batch.lastId;
        }
      } catch (error) {
        if (stopped) break;
        if (failures === 0) logger.warn({ err: { message: (error as Error).message } }, 'bus reader failed, retrying');
        failures += 1;
        await unlessStopped(new Promise((resolve) => setTimeout(resolve, reconnectDelay(failures)).unref()));
      }
    }
  };

  return {
    /** The id of the last entry dispatched; undefined until the reader has started. */
    get cursor(): string | undefined {
      return cursor;
    },
    /** Resolves once the reader knows where the stream ends (clients can then open). */
    reading: () => reading,
    get size(): number {
      return clients.size;
    },
    /** Revocations seen on the bus: a stream still opening checks its token against them. */
    watch,
    start(): void {
      loop ??= run();
      heartbeat ??= setInterval(() => {
        // Only live streams: one still opening has not written its headers yet.
        for (const client of clients) if (client.state === 'live') client.send(HEARTBEAT_BYTES);
      }, options.heartbeatMs);
      heartbeat.unref();
      expirySweep ??= setInterval(() => watch.sweep(clients, Date.now()), options.expirySweepMs ?? 1000);
      expirySweep.unref();
    },
    add(client: StreamClient): void {
      clients.add(client);
    },
    remove(client: StreamClient): void {
      clients.delete(client);
    },
    /** Readiness: the reader has its position and its connection is up. */
    async check(): Promise<void> {
      if (cursor === undefined) throw new Error('bus reader not started');
      if (blocking.status !== 'ready') throw new Error(`bus reader not connected (${blocking.status})`);
    },
    /** Stops reading (the pending XREAD is cut by disconnecting) and the heartbeat. */
    async stop(): Promise<void> {
      stopped = true;
      markStopped();
      clearInterval(heartbeat);
      clearInterval(expirySweep);
      blocking.disconnect();
      await loop;
    },
  };
}

export type Fanout = ReturnType<typeof createFanout>;
