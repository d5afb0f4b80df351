import type Redis from 'ioredis';
import { busEntryFields, DEFAULT_MAX_LENGTH, DEFAULT_STREAM } from '../bus';

/**
 * The revocation list: one key per revoked token id, on the event-bus Redis (a backing
 * service every app is bound to), expiring when the token would have expired anyway.
 * The tokens app writes it; every app's token check reads it. It is part of the bus
 * contract, so no app reads another app's own keys.
 *
 * A revocation is also announced on the bus as `token.revoked` ({jti, exp}), in the same
 * MULTI as the key: whoever holds something open on a token's strength (push, its event
 * streams) learns of it at once instead of polling the list. Key first, then event: a
 * reader that sees the event finds the key set too.
 */
const key = (jti: string): string => `bus:revoked:${jti}`;

/**
 * Signing keys taken out of service (their kid), for good: every token a retired key signed
 * is refused, by every app's token check at once (it reads this set with the revocation
 * list, in the same round trip), without waiting for the JWKS caches to expire. Retirement
 * is announced on the bus as `token.key-retired` ({kid}) too, for what holds something open
 * on a token's strength (push's streams).
 */
const RETIRED_KEYS = 'bus:retired-keys';

export const TOKEN_REVOKED = 'token.revoked';
export const TOKEN_KEY_RETIRED = 'token.key-retired';

/** The payload of a `token.revoked` bus event. */
export interface TokenRevoked {
  jti: string;
  /** When the token would have expired, seconds since the epoch. */
  exp: number;
}

export interface RevokeOptions {
  /** The bus stream the event goes to (the kit's default stream). */
  stream?: string;
  maxLength?: number;
  requestId?: string;
}

export async function revokeToken(redis: Redis, jti: string, expiresAtSeconds: number, options: RevokeOptions = {}): Promise<void> {
  const ttlMs = Math.max(1000, expiresAtSeconds * 1000 - Date.now());
  const payload: TokenRevoked = { jti, exp: expiresAtSeconds };
  const fields = busEntryFields(TOKEN_REVOKED, payload, options.requestId);
  const results = await redis
    .multi()
    .set(key(jti), '1', 'PX', ttlMs)
    .xadd(options.stream ?? DEFAULT_STREAM, 'MAXLEN', '~', options.maxLength ?? DEFAULT_MAX_LENGTH, '*', ...fields)
    .exec();
  const failed = results?.find(([error]) => error !== null)?.[0];
  if (failed) throw failed;
}

/** True when the token was revoked, or (given its kid) signed by a retired key. */
export async function isTokenRevoked(redis: Redis, jti: string, kid?: string): Promise<boolean> {
  if (kid === undefined) return (await redis.exists(key(jti))) === 1;
  const results = await redis.multi().exists(key(jti)).sismember(RETIRED_KEYS, kid).exec();
  const failed = results?.find(([error]) => error !== null)?.[0];
  if (failed) throw failed;
  return results?.some(([, value]) => value === 1) ?? false;
}

/** Takes a signing key out of service for good (see RETIRED_KEYS); false when it was retired already. */
export async function retireSigningKey(redis: Redis, kid: string, options: RevokeOptions = {}): Promise<boolean> {
  const fields = busEntryFields(TOKEN_KEY_RETIRED, { kid }, options.requestId);
  const results = await redis
    .multi()
    .sadd(RETIRED_KEYS, kid)
    .xadd(options.stream ?? DEFAULT_STREAM, 'MAXLEN', '~', options.maxLength ?? DEFAULT_MAX_LENGTH, '*', ...fields)
    .exec();
  const failed = results?.find(([error]) => error !== null)?.[0];
  if (failed) throw failed;
  return results?.[0]?.[1] === 1;
}

/** The kids of every retired signing key. */
export async function retiredSigningKeys(redis: Redis): Promise<string[]> {
  return redis.smembers(RETIRED_KEYS);
}

/** The kid of a `token.key-retired` payload, or undefined when it is not one. */
export function toKeyRetired(payload: Record<string, unknown>): string | undefined {
  return typeof payload.kid === 'string' && payload.kid !== '' ? payload.kid : undefined;
}

/** The {jti, exp} of a `token.revoked` payload, or undefined when it is not one. */
export function toTokenRevoked(payload: Record<string, unknown>): TokenRevoked | undefined {
  const { jti, exp } = payload;
  return typeof jti === 'string' && jti !== '' && typeof exp === 'number' && Number.isFinite(exp) ? { jti, exp } : undefined;
}
