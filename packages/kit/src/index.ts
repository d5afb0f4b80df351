export { ConfigError } from './config/errors';
export { readVcapServices, findBinding, boundNames, type Env, type ServiceBinding, type VcapServices } from './config/vcap';
export { readAppIdentity, type AppIdentity } from './config/application';
export { redisUrlFromCredentials, resolveRedis, type RedisLocation } from './config/redis-url';
export {
  resolvePostgres,
  describePostgres,
  postgresVariable,
  POSTGRES_TAGS,
  type PostgresConnection,
  type PostgresLocation,
  type PostgresTls,
} from './config/postgres-url';
export { baseSchema, loadSettings, type BaseSettings, type LogLevel } from './config/settings';
export { loadAppConfig, DEVELOPMENT_REDIS_URL, type AppConfig } from './config/load';
export { createLogger, REDACTED_PATHS, type Logger } from './log';
export * from './errors';
export { createApp, type CreateAppOptions } from './http/create-app';
export { type KitApp, type KitState } from './http/kit-state';
export { type ReadinessCheck } from './http/ops-routes';
export { jsonBody, rawBody, requestBody, DEFAULT_BODY_LIMIT, type BodyOptions } from './http/body';
export { directOnly, isRouted, hasBearer, loadOpsAccess } from './http/ops-access';
export { type OpsAccess } from './http/kit-state';
export { createRedis, redisReadiness, quitRedis, isRedisUnavailable, reconnectDelay, type CreateRedisOptions, type Redis } from './redis';
export * from './postgres';
export { serve, installProcessHandlers, KEEP_ALIVE_TIMEOUT_MS, type ServeOptions, type Serving } from './lifecycle';
export { boot, type Process } from './boot';
export { currentTrace, parseTraceparent, runInTrace, traceHeaders, traceIdOf, traceOf, outgoingTraceparent, type Trace } from './trace';
export { createServiceClient, type ServiceClient, type ServiceClientOptions, type ServiceRequest, type ServiceResponse } from './client';
export {
  createEventBus,
  busEntryContext,
  busEntryFields,
  compareStreamIds,
  isStreamId,
  parseEntries,
  parseStreamId,
  BUS_BINDING,
  DEFAULT_STREAM,
  DEFAULT_MAX_LENGTH,
  type BusBatch,
  type BusEvent,
  type EventBus,
  type EventBusOptions,
  type StreamEntry,
  type StreamId,
} from './bus';
export { createTokenVerifier, TOKEN_ALGORITHMS, type Caller, type TokenVerifier, type TokenVerifierOptions } from './auth/verifier';
export { requireAuth, extractToken, TOKEN_PARAMETER, TokenInUrlError } from './auth/middleware';
export {
  revokeToken,
  isTokenRevoked,
  toTokenRevoked,
  TOKEN_REVOKED,
  retireSigningKey,
  retiredSigningKeys,
  toKeyRetired,
  TOKEN_KEY_RETIRED,
  type RevokeOptions,
  type TokenRevoked,
} from './auth/revocation';
export { tokenCheckSchema, type TokenCheckSettings } from './auth/settings';
export { resolveSecret, type SecretSource } from './config/secret';
export { loadOpenApi, openApiRouter } from './http/openapi';
export { takeConnection, TakenConnections, type TakeRefusal } from './http/take-connection';
export { countLineBreaks, hasStackedMarks, hasUnshowable, hasVisibleCharacter, MAX_COMBINING_MARKS, MAX_LINE_BREAKS } from './text';
export { inEventSpan, inDeliverySpan } from './telemetry/spans';
export { activeTelemetry, shutdownTelemetry, type Telemetry, type Tracing } from './telemetry/hooks';
export { readTelemetrySettings, type TelemetrySettings } from './telemetry/settings';
