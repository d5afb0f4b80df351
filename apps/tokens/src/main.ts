import '@bundle/kit/telemetry'; // first: with an OTLP endpoint configured, the SDK patches what the imports below load
import { boot, BUS_BINDING, ConfigError, createLogger, createRedis, loadAppConfig, quitRedis } from '@bundle/kit';
import { createTokensApp } from './app';
import { tokensSchema } from './config';
import { loadTokenKeys } from './domain/keys';
import { readSecrets } from './secrets';
import { createUsersClient } from './users-client';

const { version } = require('../package.json') as { version: string };

void boot(async () => {
  const config = loadAppConfig(tokensSchema, process.env, { app: 'tokens', version });
  const { settings } = config;
  const production = settings.nodeEnv === 'production';
  const secrets = readSecrets(settings, config.services);
  const keys = await loadTokenKeys(secrets.keys, { production });
  if (!secrets.serviceKey && production) {
    throw new ConfigError(
      'SERVICE_KEY: required in production (the key the users app accepts), or a binding "service-credentials" with credentials.key',
      'SERVICE_KEY',
    );
  }
  const tokensDb = config.redis('tokens-db');
  const eventBus = config.redis(BUS_BINDING);

  const logger = createLogger(config.identity, settings.logLevel);
  if (keys.generated) {
    logger.warn(
      { kid: keys.signing.kid },
      'no TOKEN_SIGNING_KEY configured: generated a signing key for this process only; tokens will not survive a restart and other instances will not share it',
    );
  }
  if (!secrets.serviceKey) logger.warn('no SERVICE_KEY configured: logins answer 503 until it is set (the users app requires it)');
  logger.info(
    { kid: keys.signing.kid, kids: keys.jwks.keys.map((key) => key.kid), tokens_db: tokensDb.source, event_bus: eventBus.source },
    'signing keys loaded',
  );

  const tls = settings.redisTlsRejectUnauthorized;
  const redis = createRedis({ url: tokensDb.url, logger, name: 'tokens-db', tlsRejectUnauthorized: tls });
  const busRedis = createRedis({ url: eventBus.url, logger, name: BUS_BINDING, tlsRejectUnauthorized: tls });
  const app = createTokensApp({
    identity: config.identity,
    logger,
    redis,
    busRedis,
    users: createUsersClient({ baseUrl: settings.usersUrl, serviceKey: secrets.serviceKey, timeoutMs: settings.usersTimeoutMs }),
    keys,
    policy: { issuer: settings.tokenIssuer, audience: settings.tokenAudience, ttlSeconds: settings.tokenTtlSeconds },
    limits: {
      maxFailuresPerNicknameAndAddress: settings.loginMaxFailuresPerNicknameAndAddress,
      maxFailuresPerAddress: settings.loginMaxFailuresPerAddress,
      windowSeconds: settings.loginFailureWindowSeconds,
    },
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
