import '@bundle/kit/telemetry'; // first: with an OTLP endpoint configured, the SDK patches what the imports below load
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { boot, createLogger, createRedis, createTokenVerifier, isTokenRevoked, loadAppConfig, quitRedis, BUS_BINDING } from '@bundle/kit';
import { createUsersApp } from './app';
import { createHashGate } from './domain/hash-gate';
import { readServiceKey, scryptParams, usersSchema } from './config';

const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };

void boot(() => {
  const config = loadAppConfig(usersSchema, process.env, { app: 'users', version });
  const { settings } = config;
  const serviceKey = readServiceKey(process.env, config.services, settings.nodeEnv);
  const hashParams = scryptParams(settings.scryptLogN);
  const usersDb = config.redis('users-db');
  const eventBus = config.redis(BUS_BINDING);

  const logger = createLogger(config.identity, settings.logLevel);
  if (serviceKey === undefined) {
    logger.warn('no SERVICE_KEY (or "service-credentials" binding): the internal credentials route answers 503, so logins fail');
  }
  const tls = settings.redisTlsRejectUnauthorized;
  const redis = createRedis({ url: usersDb.url, logger, name: 'users-db', tlsRejectUnauthorized: tls });
  const busRedis = createRedis({ url: eventBus.url, logger, name: BUS_BINDING, tlsRejectUnauthorized: tls });
  const verifyToken = createTokenVerifier({
    jwksUrl: settings.jwksUrl,
    issuer: settings.tokenIssuer,
    audience: settings.tokenAudience,
    isRevoked: (jti, kid) => isTokenRevoked(busRedis, jti, kid),
  });
  const app = createUsersApp({
    identity: config.identity,
    logger,
    redis,
    busRedis,
    verifyToken,
    serviceKey,
    hashParams,
    hashGate: createHashGate({ concurrency: settings.hashConcurrency, queueLimit: settings.hashQueueLimit, retryAfterSeconds: 1 }),
    registrationLimit: { perAddress: settings.registrationsPerAddress, windowSeconds: settings.registrationWindowSeconds },
    trustedProxyHops: settings.trustedProxyHops,
    readinessTimeoutMs: settings.readinessTimeoutMs,
  });
  return {
    app,
    logger,
    serve: {
      port: settings.port,
      host: settings.host,
      graceMs: settings.shutdownGraceMs,
      onClose: [() => quitRedis(redis), () => quitRedis(busRedis)],
    },
  };
});
