import { join } from 'node:path';
import {
  createApp,
  createTokenVerifier,
  isTokenRevoked,
  loadOpenApi,
  openApiRouter,
  redisReadiness,
  type AppIdentity,
  type KitApp,
  type Logger,
  type Redis,
} from '@bundle/kit';
import { createLocalJWKSet } from 'jose';
import type { TokenKeys } from './domain/keys';
import type { LoginLimits } from './domain/login';
import { AddressSlowdown } from './domain/address-slowdown';
import { LoginTurns } from './domain/login-turns';
import type { TokenPolicy } from './domain/tokens';
import { jwksRouter } from './routes/jwks';
import { tokensRouter } from './routes/tokens';
import { createLoginStore } from './store';
import type { UsersClient } from './users-client';

export interface TokensAppDeps {
  identity: AppIdentity;
  logger: Logger;
  /** tokens-db: the failed-login counters. */
  redis: Redis;
  /** event-bus: the revocation list shared with every app. */
  busRedis: Redis;
  users: UsersClient;
  keys: TokenKeys;
  policy: TokenPolicy;
  limits: LoginLimits;
  /** How addresses past their failure limit are slowed (default: address-slowdown.ts's bounds; tests pass one with their own clock). */
  slowdown?: AddressSlowdown;
  /** Proxies that append to X-Forwarded-For in front of the app (0: trust none). */
  trustedProxyHops?: number;
  readinessTimeoutMs?: number;
  processMetrics?: boolean;
}

/** Where openapi.yaml sits, from src/ when tested and from dist/ when built. */
export const OPENAPI_PATH = join(__dirname, '..', 'openapi.yaml');

/** The tokens app: logs in through the users app, signs tokens, revokes them, publishes the JWKS. */
export function createTokensApp(deps: TokensAppDeps): KitApp {
  const verify = createTokenVerifier({
    // Its own tokens are checked against its own keys: no HTTP round trip to itself.
    keys: createLocalJWKSet(deps.keys.jwks),
    issuer: deps.policy.issuer,
    audience: deps.policy.audience,
    isRevoked: (jti, kid) => isTokenRevoked(deps.busRedis, jti, kid),
  });
  const app = createApp({
    identity: deps.identity,
    logger: deps.logger,
    routers: [
      tokensRouter({
        login: {
          store: createLoginStore(deps.redis, deps.limits),
          turns: new LoginTurns(),
          slowdown: deps.slowdown ?? new AddressSlowdown(),
          users: deps.users,
          keys: deps.keys,
          policy: deps.policy,
        },
        verify,
        busRedis: deps.busRedis,
      }),
      jwksRouter(deps.keys, deps.busRedis, deps.logger),
      openApiRouter(loadOpenApi(OPENAPI_PATH)),
    ],
    // The users app is deliberately not a readiness check: while it is down this app still
    // serves the JWKS and revocation that every other app's token checks depend on, and a
    // login answers 503 by itself. Failing readiness would pull those from the router too
    // and turn one app's outage into all of them.
    readiness: { 'tokens-db': redisReadiness(deps.redis), 'event-bus': redisReadiness(deps.busRedis) },
    readinessTimeoutMs: deps.readinessTimeoutMs,
    processMetrics: deps.processMetrics,
    // The failed-login limits count per client address: it must be the one the trusted
    // routers saw, never an X-Forwarded-For entry the client wrote (see the kit's README).
    trustedProxyHops: deps.trustedProxyHops ?? 1,
  });
  return app;
}
