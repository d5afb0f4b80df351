// `import '@bundle/kit/telemetry';` as the FIRST import of an app's main.ts (and worker.ts):
// with an OTLP endpoint configured it starts the OpenTelemetry SDK before pino, koa, ioredis
// and node:http are loaded, so the instrumentations patch them; with none it loads nothing.
import { startTelemetry } from './start';

startTelemetry();
