import { join } from 'node:path';
import {
  createApp,
  createEventBus,
  loadOpenApi,
  openApiRouter,
  redisReadiness,
  type AppIdentity,
  type KitApp,
  type Logger,
  type Redis,
  type TokenVerifier,
} from '@bundle/kit';
import { messagesRouter } from './routes/messages';
import type { PostRate } from './domain/post-rate';
import { createMessageStore, type Retention } from './store';

export interface MessagesAppDeps {
  identity: AppIdentity;
  logger: Logger;
  /** The messages-db binding: the message log, its outbox and the mention counts. */
  messagesRedis: Redis;
  /** The event-bus binding: where message.created goes (and where revoked tokens are listed). */
  busRedis: Redis;
  verify: TokenVerifier;
  readinessTimeoutMs?: number;
  processMetrics?: boolean;
  /** Posts per user per window (POST_RATE_LIMIT, POST_RATE_WINDOW_SECONDS). */
  postRate?: PostRate;
  /** How much of the log is kept (MESSAGES_RETENTION_DAYS, MESSAGES_MAX_LENGTH). */
  retention?: Retention;
}

const openApi = loadOpenApi(join(__dirname, '..', 'openapi.yaml'));

/** The messages web app. Never listens and never reads the environment (main.ts does). */
export function createMessagesApp(deps: MessagesAppDeps): KitApp {
  const store = createMessageStore(deps.messagesRedis, deps.retention);
  const bus = createEventBus(deps.busRedis);
  return createApp({
    identity: deps.identity,
    logger: deps.logger,
    routers: [openApiRouter(openApi), messagesRouter(store, bus, deps.verify, deps.postRate)],
    readiness: { 'messages-db': redisReadiness(deps.messagesRedis), 'event-bus': redisReadiness(deps.busRedis) },
    readinessTimeoutMs: deps.readinessTimeoutMs ?? 1000,
    processMetrics: deps.processMetrics ?? true,
  });
}
