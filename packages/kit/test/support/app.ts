import type Router from '@koa/router';
import type { AppIdentity } from '../../src/config/application';
import { createApp, type CreateAppOptions, type KitApp } from '../../src/http/create-app';
import { createLogger } from '../../src/log';
import { logSink, type LogSink } from '../../src/testing/log-sink';

export const identity: AppIdentity = { app: 'kit-test', version: '0.0.1', commit: 'abc123', space: 'test', instance: '0' };

/** A kit app whose log lines land in a sink the test reads. */
export function testApp(routers: Router[] = [], options: Partial<CreateAppOptions> = {}): { app: KitApp; sink: LogSink } {
  const sink = logSink();
  const logger = createLogger(identity, 'debug', sink.stream);
  const app = createApp({ identity, logger, routers, processMetrics: false, ...options });
  return { app, sink };
}

/** Records carrying a stack anywhere (err.stack), to prove 4xx never log one. */
export function stackRecords(sink: LogSink): Array<Record<string, unknown>> {
  return sink.records.filter((record) => JSON.stringify(record).includes('"stack"'));
}

/** The access line of one request. */
export function accessLine(sink: LogSink, requestId: string): Record<string, unknown> | undefined {
  return sink.records.find((record) => record.msg === 'request' && record.request_id === requestId);
}
