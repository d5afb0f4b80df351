import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../config/errors';
import type { Env } from '../config/vcap';
import type { Telemetry } from './hooks';
import { readTelemetrySettings } from './settings';

/**
 * Reads the telemetry settings and, only when an endpoint is configured, loads and starts
 * the OpenTelemetry SDK (sdk.ts: the one module that requires @opentelemetry packages). A
 * malformed setting stops the process as any config error does: one line on stderr, exit 1.
 */
export function startTelemetry(env: Env = process.env, main = mainPackage()): Telemetry | undefined {
  let settings;
  try {
    settings = readTelemetrySettings(env, main);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`config error: ${error.message}\n`);
    process.exit(1);
  }
  if (settings === undefined) return undefined;
  const { startSdk } = require('./sdk') as typeof import('./sdk');
  return startSdk(settings);
}

/**
 * The name and version of the package whose entry point runs (apps/messages/dist/main.js:
 * @bundle/messages), for the service name and version before the app's config is read: the
 * same defaults its main.ts gives loadAppConfig. APP_NAME, VCAP_APPLICATION and APP_VERSION
 * beat them, as they do for the app's identity.
 */
export function mainPackage(entry = require.main?.filename ?? process.argv[1]): { app: string; version: string } {
  for (let dir = entry ? dirname(entry) : process.cwd(); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const { name, version } = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (name) return { app: name.replace(/^@[^/]+\//, ''), version: version ?? '0.0.0' };
    }
    if (dirname(dir) === dir) return { app: 'app', version: '0.0.0' };
  }
}
