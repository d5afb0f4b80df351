import { join } from 'node:path';
import {
  createApp,
  createEventBus,
  loadOpenApi,
  openApiRouter,
  redisReadiness,
  requireAuth,
  type AppIdentity,
  type KitApp,
  type Logger,
  type Redis,
  type TokenVerifier,
} from '@bundle/kit';
import { DEFAULT_PARAMS, type ScryptParams } from './domain/password';
import type { UsersDomain } from './domain/users';
import { internalRouter } from './routes/internal';
import { usersRouter } from './routes/users';
import { createUserStore } from './store';

/** The same file from src/ (tests) and dist/ (the running app). */
export const OPENAPI_PATH = join(__dirname, '..', 'openapi.yaml');

export interface UsersAppDeps {
  identity: AppIdentity;
  logger: Logger;
  /** The users-db binding: accounts and password hashes. */
  redis: Redis;
  /** The event-bus binding: user.created goes out here; revoked token ids are read here. */
  busRedis: Redis;
  verifyToken: TokenVerifier;
  /** The key the tokens app presents on the internal route; undefined turns that route off (503). */
  serviceKey: string | undefined;
  hashParams?: ScryptParams;
  readinessTimeoutMs?: number;
  processMetrics?: boolean;
}

export function createUsersApp(deps: UsersAppDeps): KitApp {
  const domain: UsersDomain = {
    store: createUserStore(deps.redis),
    bus: createEventBus(deps.busRedis),
    hashParams: deps.hashParams ?? DEFAULT_PARAMS,
  };
  return createApp({
    identity: deps.identity,
    logger: deps.logger,
    readiness: { 'users-db': redisReadiness(deps.redis), 'event-bus': redisReadiness(deps.busRedis) },
    readinessTimeoutMs: deps.readinessTimeoutMs ?? 1000,
    processMetrics: deps.processMetrics ?? true,
    routers: [openApiRouter(loadOpenApi(OPENAPI_PATH)), internalRouter(domain, deps.serviceKey), usersRouter(domain, requireAuth(deps.verifyToken))],
  });
}
