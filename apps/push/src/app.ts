import { join } from 'node:path';
import {
  createApp,
  createEventBus,
  DEFAULT_STREAM,
  loadOpenApi,
  openApiRouter,
  redisReadiness,
  type AppIdentity,
  type KitApp,
  type Logger,
  type Redis,
  type TokenVerifier,
} from '@bundle/kit';
import type { Fanout } from './domain/fanout';
import type { Presence } from './domain/presence';
import { createStreamQuota } from './domain/quota';
import { eventsRouter } from './routes/events';

export const OPENAPI_PATH = join(__dirname, '..', 'openapi.yaml');

export interface PushDeps {
  identity: AppIdentity;
  logger: Logger;
  /** The event-bus client for history and presence (not the blocking reader's). */
  redis: Redis;
  /** The one bus reader of this process; the caller starts and stops it. */
  fanout: Fanout;
  presence: Presence;
  verify: TokenVerifier;
  maxClientBufferBytes: number;
  /** Bus events a resuming stream may replay (past it: one history.reload event). */
  maxReplayEvents: number;
  /** Event streams one user may hold open on all instances together (the next one gets 429; presence counts them). */
  maxStreamsPerUser: number;
  /** Event streams one client address may hold open on this instance (the next one gets 429); unlimited when absent. */
  maxStreamsPerAddress?: number;
  /** Event streams this instance holds in all (the next one gets 503); unlimited when absent. */
  maxStreams?: number;
  stream?: string;
  processMetrics?: boolean;
}

/** The push app: GET /api/events plus the kit's ops routes. Never listens, never reads env. */
export function createPushApp(deps: PushDeps): KitApp {
  const app = createApp({
    identity: deps.identity,
    logger: deps.logger,
    processMetrics: deps.processMetrics ?? true,
    readiness: { 'event-bus': redisReadiness(deps.redis), 'event-bus-reader': () => deps.fanout.check() },
    routers: [],
  });
  const router = eventsRouter({
    bus: createEventBus(deps.redis, { stream: deps.stream ?? DEFAULT_STREAM }),
    fanout: deps.fanout,
    presence: deps.presence,
    maxClientBufferBytes: deps.maxClientBufferBytes,
    maxReplayEvents: deps.maxReplayEvents,
    streams: app.kit.streams,
    connections: app.kit.connections,
    logger: deps.logger,
    verify: deps.verify,
    quota: createStreamQuota({ maxPerUser: deps.maxStreamsPerUser, maxPerAddress: deps.maxStreamsPerAddress, maxTotal: deps.maxStreams }),
    maxStreamsPerUser: deps.maxStreamsPerUser,
    isDraining: () => app.kit.draining,
  });
  for (const extra of [openApiRouter(loadOpenApi(OPENAPI_PATH)), router]) {
    app.use(extra.routes());
    app.use(extra.allowedMethods());
  }
  return app;
}
