import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import {
  createEventBus,
  createLogger,
  createRedis,
  createTokenVerifier,
  isTokenRevoked,
  quitRedis,
  serve,
  type Logger,
  type Redis,
  type Serving,
} from '@bundle/kit';
import { logSink, TEST_AUDIENCE, TEST_ISSUER, type LogSink, type TestTokens } from '@bundle/kit/testing';
import { createPushApp } from '../../src/app';
import { createFanout } from '../../src/domain/fanout';
import { createPresence } from '../../src/domain/presence';
import { createPresenceStore } from '../../src/store';

export const IDENTITY = { app: 'push', version: '0.0.0-test', commit: 'test', space: 'test', instance: '0' };

export interface PushUnderTest {
  url: string;
  serving: Serving;
  sink: LogSink;
  /** Resolves with the first log record (already written or to come) that matches. */
  logged(match: (record: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  logger: Logger;
  redis: Redis;
  bus: ReturnType<typeof createEventBus>;
  app: ReturnType<typeof createPushApp>;
  stop(): Promise<void>;
}

/**
 * A push app as main.ts wires it, listening on 127.0.0.1 on a free port (event streams
 * need a real socket), logging into a sink. stop() drains it like SIGTERM would.
 */
export async function startPush(options: {
  redisUrl: string;
  tokens: TestTokens;
  heartbeatMs?: number;
  maxClientBufferBytes?: number;
  maxStreamsPerUser?: number;
  maxStreamsPerAddress?: number;
  maxStreams?: number;
  maxReplayEvents?: number;
  expirySweepMs?: number;
}): Promise<PushUnderTest> {
  const sink = logSink();
  const lines = new EventEmitter();
  const tee = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      sink.stream.write(chunk, (error) => {
        lines.emit('line');
        callback(error);
      });
    },
  });
  const logged = (match: (record: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> =>
    new Promise((resolve) => {
      const check = (): void => {
        const found = sink.records.find(match);
        if (found) {
          lines.off('line', check);
          resolve(found);
        }
      };
      lines.on('line', check);
      check();
    });
  const logger = createLogger(IDENTITY, 'info', tee);
  const redis = createRedis({ url: options.redisUrl, logger, name: 'event-bus' });
  const blocking = createRedis({ url: options.redisUrl, logger, name: 'event-bus-reader', blocking: true });
  const fanout = createFanout({
    blocking,
    stream: 'bus:events',
    logger,
    heartbeatMs: options.heartbeatMs ?? 60_000,
    blockMs: 1000,
    expirySweepMs: options.expirySweepMs,
  });
  const presence = createPresence({
    instance: randomUUID(),
    store: createPresenceStore(redis, { stream: 'bus:events', maxLength: 10_000, ttlMs: 60_000 }),
    refreshMs: 60_000,
    maxStreamsPerUser: options.maxStreamsPerUser ?? 10,
    logger,
  });
  const verify = createTokenVerifier({
    keys: options.tokens.keys,
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    isRevoked: (jti, kid) => isTokenRevoked(redis, jti, kid),
  });
  const app = createPushApp({
    identity: IDENTITY,
    logger,
    redis,
    fanout,
    presence,
    verify,
    maxClientBufferBytes: options.maxClientBufferBytes ?? 65_536,
    maxStreamsPerUser: options.maxStreamsPerUser ?? 10,
    maxReplayEvents: options.maxReplayEvents ?? 500,
    maxStreams: options.maxStreams,
    maxStreamsPerAddress: options.maxStreamsPerAddress,
    processMetrics: false,
  });
  fanout.start();
  await fanout.reading();
  const serving = await serve(app, {
    port: 0,
    host: '127.0.0.1',
    signals: [],
    exit: () => undefined,
    graceMs: 2000,
    onClose: [() => presence.stop(), () => fanout.stop(), () => quitRedis(redis)],
  });
  return {
    url: `http://127.0.0.1:${serving.port}`,
    serving,
    sink,
    logged,
    logger,
    redis,
    bus: createEventBus(redis),
    app,
    stop: () => serving.shutdown('test over'),
  };
}

export const message = (text: string) => ({
  id: randomUUID(),
  text,
  author: { id: 'u-1', nickname: 'ann' },
  created_at: new Date().toISOString(),
});
