import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

export type { default as Redis } from 'ioredis';
export { isRedisUnavailable } from './redis-errors';

export interface CreateRedisOptions {
  url: string;
  logger: Logger;
  /** Which binding this client serves, for log lines ("users-db", "event-bus"). */
  name: string;
  /** Check a rediss:// server's certificate (Heroku Redis: false). */
  tlsRejectUnauthorized?: boolean;
  /** Blocking readers (XREAD BLOCK) need their commands queued while reconnecting. */
  blocking?: boolean;
}

/** Reconnect delays grow to 2 s and stay there: bounded, and never giving up. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** attempt, 2000);
}

/**
 * An ioredis client for one binding. While Redis is down, commands fail at once instead
 * of queueing (the request answers 503, see isRedisUnavailable) and the client keeps
 * reconnecting in the background, so the app recovers by itself when Redis returns.
 */
export function createRedis(options: CreateRedisOptions): Redis {
  const redisOptions: RedisOptions = {
    connectionName: options.name,
    connectTimeout: 2000,
    enableOfflineQueue: options.blocking === true,
    maxRetriesPerRequest: options.blocking === true ? null : 1,
    retryStrategy: reconnectDelay,
  };
  if (options.url.startsWith('rediss://')) redisOptions.tls = { rejectUnauthorized: options.tlsRejectUnauthorized ?? true };
  // Loaded on first use: ioredis is several MB of resident memory, which an app without
  // Redis (ui, bench/kit) never needs; the kit's index would otherwise load it for all.
  const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
  const client = new RedisClient(options.url, redisOptions);
  const log = options.logger.child({ redis: options.name });
  let down = false;
  client.on('error', (error: Error) => {
    // One line per outage, not one per reconnect attempt.
    if (!down) log.warn({ err: { message: error.message } }, 'redis unavailable, reconnecting');
    down = true;
  });
  client.on('reconnecting', () => {
    // A clean close (Redis restarted, failover) raises no error: the reconnect is the sign.
    if (!down) log.warn('redis unavailable, reconnecting');
    down = true;
  });
  client.on('ready', () => {
    if (down) log.info('redis available again');
    down = false;
  });
  return client;
}

/** The readiness check for a client: PING answers PONG. */
export function redisReadiness(client: Redis): () => Promise<void> {
  return async () => {
    if (client.status !== 'ready') throw new Error(`not connected (${client.status})`);
    await client.ping();
  };
}

/** Quits politely (pending replies arrive), or drops the connection if Redis is gone. */
export async function quitRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    // A connection attempt under way ends with 'end'; between attempts nothing is left to wait for.
    const attempting = client.status === 'connecting' || client.status === 'connect';
    const ended = attempting ? new Promise<void>((resolve) => client.once('end', () => resolve())) : undefined;
    client.disconnect();
    await ended;
    return;
  }
  await client.quit().catch(() => client.disconnect());
}
