import '@bundle/kit/telemetry'; // first: with an OTLP endpoint configured, the SDK patches what the imports below load
import { boot, createLogger, createRedis, createTokenVerifier, isTokenRevoked, loadAppConfig, quitRedis } from '@bundle/kit';
import { createMessagesApp } from './app';
import { packageVersion, schema } from './config';

void boot(() => {
  const config = loadAppConfig(schema, process.env, { app: 'messages', version: packageVersion() });
  const { settings } = config;
  const logger = createLogger(config.identity, settings.logLevel);
  const tls = settings.redisTlsRejectUnauthorized;
  const messagesRedis = createRedis({ url: config.redis('messages-db').url, logger, name: 'messages-db', tlsRejectUnauthorized: tls });
  const busRedis = createRedis({ url: config.redis('event-bus').url, logger, name: 'event-bus', tlsRejectUnauthorized: tls });
  const verify = createTokenVerifier({
    jwksUrl: settings.jwksUrl,
    issuer: settings.tokenIssuer,
    audience: settings.tokenAudience,
    isRevoked: (jti, kid) => isTokenRevoked(busRedis, jti, kid),
  });
  const app = createMessagesApp({
    identity: config.identity,
    logger,
    messagesRedis,
    busRedis,
    verify,
    readinessTimeoutMs: settings.readinessTimeoutMs,
    postRate: { limit: settings.postRateLimit, windowSeconds: settings.postRateWindowSeconds },
    retention: { maxAgeMs: settings.retentionDays * 24 * 3600 * 1000, maxLength: settings.maxLogLength },
  });
  return {
    app,
    logger,
    serve: {
      port: settings.port,
      host: settings.host,
      graceMs: settings.shutdownGraceMs,
      onClose: [() => quitRedis(messagesRedis), () => quitRedis(busRedis)],
    },
  };
});
