import '@bundle/kit/telemetry'; // first: with an OTLP endpoint configured, the SDK patches what the imports below load
import { randomUUID } from 'node:crypto';
import {
  boot,
  BUS_BINDING,
  createLogger,
  createRedis,
  createTokenVerifier,
  DEFAULT_STREAM,
  isTokenRevoked,
  loadAppConfig,
  quitRedis,
} from '@bundle/kit';
import { createPushApp } from './app';
import { schema } from './config';
import { createFanout } from './domain/fanout';
import { createPresence } from './domain/presence';
import { createPresenceStore } from './store';

const { version } = require('../package.json') as { version: string };

void boot(() => {
  const config = loadAppConfig(schema, process.env, { app: 'push', version });
  const { settings, identity } = config;
  const logger = createLogger(identity, settings.logLevel);
  const bus = config.redis(BUS_BINDING);
  const redisOptions = { url: bus.url, logger, tlsRejectUnauthorized: settings.redisTlsRejectUnauthorized };
  const redis = createRedis({ ...redisOptions, name: BUS_BINDING });
  const blocking = createRedis({ ...redisOptions, name: `${BUS_BINDING}-reader`, blocking: true });
  logger.info({ redis: BUS_BINDING, source: bus.source }, 'event bus located');

  const fanout = createFanout({ blocking, stream: DEFAULT_STREAM, logger, heartbeatMs: settings.heartbeatSeconds * 1000 });
  const refreshMs = settings.presenceRefreshSeconds * 1000;
  const presence = createPresence({
    // Unique per process: counts of a crashed process must not be mistaken for a new one's.
    instance: `${identity.instance}-${randomUUID()}`,
    store: createPresenceStore(redis, {
      stream: DEFAULT_STREAM,
      maxLength: 100_000,
      ttlMs: 6 * refreshMs,
      offlineGraceMs: settings.presenceOfflineGraceSeconds * 1000,
      cooldownMs: settings.presenceCooldownSeconds * 1000,
    }),
    refreshMs,
    maxStreamsPerUser: settings.maxStreamsPerUser,
    flushMs: settings.presenceOfflineGraceSeconds > 0 || settings.presenceCooldownSeconds > 0 ? 1000 : 0,
    logger,
  });
  const verify = createTokenVerifier({
    jwksUrl: settings.jwksUrl,
    issuer: settings.tokenIssuer,
    audience: settings.tokenAudience,
    isRevoked: (jti, kid) => isTokenRevoked(redis, jti, kid),
  });
  const app = createPushApp({
    identity,
    logger,
    redis,
    fanout,
    presence,
    verify,
    maxClientBufferBytes: settings.maxClientBufferBytes,
    maxReplayEvents: settings.maxReplayEvents,
    maxStreamsPerUser: settings.maxStreamsPerUser,
    maxStreamsPerAddress: settings.maxStreamsPerAddress,
    maxStreams: settings.maxStreams,
  });
  fanout.start();
  presence.start();
  return {
    app,
    logger,
    serve: {
      port: settings.port,
      host: settings.host,
      graceMs: settings.shutdownGraceMs,
      // Streams are closed by then (and their users counted out), so presence is settled.
      onClose: [() => presence.stop(), () => fanout.stop(), () => quitRedis(redis)],
    },
  };
});
