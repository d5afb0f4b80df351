import { once } from 'node:events';
import { createLogger, createRedis, quitRedis, type KitApp, type Redis } from '@bundle/kit';
import { allocateTestDatabase, startStubServer, type StubServer } from '@bundle/kit/testing';
import { createLocalJWKSet, jwtVerify, type JWK, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import supertest from 'supertest';
import { createTokensApp, type TokensAppDeps } from '../../src/app';
import { loadTokenKeys, type TokenKeys } from '../../src/domain/keys';
import { createUsersClient } from '../../src/users-client';

export const SERVICE_KEY = 'test-service-key-0123456789abcdef';
export const ISSUER = 'urn:chat:tokens';
export const AUDIENCE = 'urn:chat:api';
export const VERIFY_ROUTE = 'POST /api/users/internal/credentials/verify';

export const identity = { app: 'tokens', version: '0.0.0-test', commit: 'test', space: 'test', instance: '0' };

/** Connects a kit client (offline queue off, as in production) and waits until it is usable. */
export async function connectedRedis(url: string, name: string): Promise<Redis> {
  const client = createRedis({ url, logger: createLogger(identity, 'silent'), name });
  if (client.status !== 'ready') await once(client, 'ready');
  return client;
}

/** The users app's happy answer: whoever asks is who they say they are. */
export function userFor(nickname: string): { id: string; nickname: string } {
  return { id: `id-${nickname}`, nickname };
}

export function basic(nickname: string, password: string): string {
  return `Basic ${Buffer.from(`${nickname}:${password}`).toString('base64')}`;
}

export interface HarnessOptions extends Partial<Omit<TokensAppDeps, 'users'>> {
  /** Where the users app is (default: a stub this harness starts). */
  usersUrl?: string;
  usersTimeoutMs?: number;
  serviceKey?: string | undefined;
  /** Share these Redis URLs with another harness (two instances of the app). */
  redisUrl?: string;
  busUrl?: string;
}

export interface Harness {
  app: KitApp;
  request: ReturnType<typeof supertest>;
  redis: Redis;
  busRedis: Redis;
  redisUrl: string;
  busUrl: string;
  keys: TokenKeys;
  /** The users app, answered locally (unused when usersUrl points elsewhere). */
  users: StubServer;
  close(): Promise<void>;
}

/** The tokens app on Redis databases of its own, asking a users stub with happy defaults. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const redisUrl = options.redisUrl ?? (await allocateTestDatabase());
  const busUrl = options.busUrl ?? (await allocateTestDatabase());
  const redis = await connectedRedis(redisUrl, 'tokens-db');
  const busRedis = await connectedRedis(busUrl, 'event-bus');
  const users = await startStubServer({
    [VERIFY_ROUTE]: (request) => ({ body: userFor((request.body as { nickname: string }).nickname) }),
  });
  const keys = options.keys ?? (await loadTokenKeys({}, { production: false }));
  const serviceKey = 'serviceKey' in options ? options.serviceKey : SERVICE_KEY;
  const { usersUrl, usersTimeoutMs, serviceKey: _serviceKey, redisUrl: _redisUrl, busUrl: _busUrl, ...deps } = options;
  const app = createTokensApp({
    identity,
    logger: createLogger(identity, 'silent'),
    redis,
    busRedis,
    users: createUsersClient({
      baseUrl: usersUrl ?? users.url,
      serviceKey,
      timeoutMs: usersTimeoutMs ?? 2000,
    }),
    keys,
    policy: { issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 3600 },
    limits: { maxFailuresPerNicknameAndAddress: 5, maxFailuresPerAddress: 20, windowSeconds: 900 },
    processMetrics: false,
    ...deps,
  });
  return {
    app,
    request: supertest(app.callback()),
    redis,
    busRedis,
    redisUrl,
    busUrl,
    keys,
    users,
    async close() {
      await Promise.all([quitRedis(redis), quitRedis(busRedis), users.close()]);
    },
  };
}

/** Logs in through the API and returns the access token. */
export async function logIn(harness: Harness, nickname: string, password = 'correct horse battery'): Promise<string> {
  const response = await harness.request.post('/api/tokens').set('Authorization', basic(nickname, password));
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return (response.body as { access_token: string }).access_token;
}

/** Verifies a token the way another app would: against the JWKS the tokens app serves. */
export async function verifyWithJwks(
  harness: Harness,
  token: string,
): Promise<{ payload: JWTPayload; protectedHeader: ProtectedHeaderParameters }> {
  const jwks = (await harness.request.get('/.well-known/jwks.json')).body as { keys: JWK[] };
  return jwtVerify(token, createLocalJWKSet(jwks), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256', 'EdDSA'] });
}

let counter = 0;
/** A nickname no other test in the file uses. */
export function uniqueNickname(prefix = 'user'): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`;
}
