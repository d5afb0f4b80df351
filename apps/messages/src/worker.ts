import '@bundle/kit/telemetry'; // first: with an OTLP endpoint configured, the SDK patches what the imports below load
import { once } from 'node:events';
import { hostname } from 'node:os';
import {
  ConfigError,
  createEventBus,
  createLogger,
  createRedis,
  installProcessHandlers,
  loadAppConfig,
  quitRedis,
  shutdownTelemetry,
  type Logger,
} from '@bundle/kit';
import { packageVersion, workerSchema } from './config';
import { createMessageStore } from './store';
import { createMentionWorker } from './worker/mention-worker';
import { createOutboxRelay } from './worker/outbox-relay';

/**
 * The worker process (Procfile `worker`): counts mentions from the event bus and
 * publishes messages the web process stored but could not publish. No HTTP port: the
 * platform's process health check watches it. SIGTERM: the current round finishes and
 * is acknowledged, Redis is quit, exit 0; within SHUTDOWN_GRACE_MS even when Redis is gone.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadAppConfig(workerSchema, process.env, { app: 'messages-worker', version: packageVersion() });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`config error: ${error.message}\n`);
    process.exit(1);
  }
  const { settings } = config;
  const logger = createLogger(config.identity, settings.logLevel);
  installProcessHandlers(logger);
  const redis = (binding: string, blocking = false) =>
    createRedis({
      url: config.redis(binding).url,
      logger,
      name: binding,
      blocking,
      tlsRejectUnauthorized: settings.redisTlsRejectUnauthorized,
    });
  const messagesRedis = redis('messages-db');
  const busRedis = redis('event-bus');
  const blockingRedis = redis('event-bus', true);
  const store = createMessageStore(messagesRedis);
  const bus = createEventBus(busRedis);

  const consumer = `${config.identity.instance}-${hostname()}-${process.pid}`;
  const mentions = createMentionWorker({
    bus,
    blockingRedis,
    store,
    logger,
    consumer,
    claimMinIdleMs: settings.claimMinIdleMs,
    blockMs: settings.blockMs,
    batchSize: settings.batchSize,
    doneTtlSeconds: settings.doneTtlSeconds,
    maxMentions: settings.maxMentions,
    pruneIdleMs: settings.pruneIdleMs,
    busRedis,
  });
  const relay = createOutboxRelay({ store, bus, logger, graceMs: settings.outboxGraceMs, intervalMs: settings.outboxIntervalMs });

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const graceMs = settings.shutdownGraceMs;
    logger.info({ reason: signal, grace_ms: graceMs }, 'stopping');
    const clients = [messagesRedis, busRedis, blockingRedis];
    // The round under way finishes and is acknowledged. With Redis gone or stalled, its
    // command waits for a reconnection that may never come: past the grace the clients are
    // closed under it (its events stay pending, for this or another worker to claim).
    if ((await within(Promise.all([mentions.stop(), relay.stop()]), graceMs)) === 'grace over') {
      logger.warn({ grace_ms: graceMs }, 'grace period over: closing Redis under the round in progress');
      for (const client of clients) client.disconnect();
    } else await Promise.all(clients.map((client) => quitRedis(client)));
    await shutdownTelemetry(); // the last round's spans, within a bound
    logger.info('stopped');
    logger.flush(() => process.exit(0));
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  // Commands fail at once until the client is connected (no offline queue): wait for it first.
  if (busRedis.status !== 'ready') await once(busRedis, 'ready');
  await startWhenReachable(() => mentions.start(), logger);
  relay.start();
}

/** Whether `work` settles within `ms` (its failure counts as settled: it is over either way). */
async function within(work: Promise<unknown>, ms: number): Promise<'done' | 'grace over'> {
  let timer: NodeJS.Timeout | undefined;
  const over = new Promise<'grace over'>((resolve) => (timer = setTimeout(() => resolve('grace over'), ms)));
  const outcome = await Promise.race([
    work.then(
      () => 'done' as const,
      () => 'done' as const,
    ),
    over,
  ]);
  clearTimeout(timer);
  return outcome;
}

/** The group is created at start; while the bus is unreachable, keep trying rather than crash-loop. */
async function startWhenReachable(start: () => Promise<void>, logger: Logger): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await start();
      return;
    } catch (error) {
      if (attempt === 0) logger.warn({ err: { message: (error as Error).message } }, 'event bus unreachable at start, retrying');
      await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** attempt)));
    }
  }
}

void main();
