import '@bundle/kit/telemetry'; // first: with an OTLP endpoint configured, the SDK patches what the imports below load
import { boot, createLogger, loadAppConfig } from '@bundle/kit';
import { createUiApp } from './app';
import { defaultPublicDir, packageVersion, schema } from './config';

void boot(() => {
  const config = loadAppConfig(schema, process.env, { app: 'ui', version: packageVersion() });
  const { settings } = config;
  const logger = createLogger(config.identity, settings.logLevel);
  const app = createUiApp({
    identity: config.identity,
    logger,
    publicDir: settings.publicDir === '' ? defaultPublicDir() : settings.publicDir,
    serveSourceMaps: settings.serveSourceMaps,
    readinessTimeoutMs: settings.readinessTimeoutMs,
  });
  return { app, logger, serve: { port: settings.port, host: settings.host, graceMs: settings.shutdownGraceMs } };
});
