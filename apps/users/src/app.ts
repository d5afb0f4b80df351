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
import { createHashGate, type HashGate } from './domain/hash-gate';
import { DEFAULT_PARAMS, type ScryptParams } from './domain/password';
import { createRegistrationLimit, type RegistrationLimitOptions } from './domain/registration-limit';
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
  /** Every password hash goes through it (default: 1 at once, 8 waiting; see config.ts). */
  hashGate?: HashGate;
  /** Registrations per client address and window (default 5 per 600 s). */
  registrationLimit?: RegistrationLimitOptions;
  /** Proxies appending to X-Forwarded-For in front of the app (default 1: the platform router). */
  trustedProxyHops?: number;
  readinessTimeoutMs?: number;
  processMetrics?: boolean;
}

export function createUsersApp(deps: UsersAppDeps): KitApp {
  const domain: UsersDomain = {
    store: createUserStore(deps.redis),
    bus: createEventBus(deps.busRedis),
    hashParams: deps.hashParams ?? DEFAULT_PARAMS,
    hashGate: deps.hashGate ?? createHashGate({ concurrency: 1, queueLimit: 8, retryAfterSeconds: 1 }),
    registrationLimit: createRegistrationLimit(deps.redis, deps.registrationLimit ?? { perAddress: 5, windowSeconds: 600 }),
  };
  return createApp({
    identity: deps.identity,
    logger: deps.logger,
    readiness: { 'users-db': redisReadiness(deps.redis), 'event-bus': redisReadiness(deps.busRedis) },
    readinessTimeoutMs: deps.readinessTimeoutMs ?? 1000,
    processMetrics: deps.processMetrics ?? true,
    trustedProxyHops: deps.trustedProxyHops ?? 1,
    routers: [
      openApiRouter(loadOpenApi(OPENAPI_PATH)),
      internalRouter(domain, deps.serviceKey),
      usersRouter(domain, requireAuth(deps.verifyToken)),
    ],
  });
}
