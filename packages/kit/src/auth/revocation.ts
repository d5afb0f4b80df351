import type Redis from 'ioredis';

/**
 * The revocation list: one key per revoked token id, on the event-bus Redis (a backing
 * service every app is bound to), expiring when the token would have expired anyway.
 * The tokens app writes it; every app's token check reads it. It is part of the bus
 * contract, so no app reads another app's own keys.
 */
const key = (jti: string): string => `bus:revoked:${jti}`;

export async function revokeToken(redis: Redis, jti: string, expiresAtSeconds: number): Promise<void> {
  const ttlMs = Math.max(1000, expiresAtSeconds * 1000 - Date.now());
  await redis.set(key(jti), '1', 'PX', ttlMs);
}

export async function isTokenRevoked(redis: Redis, jti: string): Promise<boolean> {
  return (await redis.exists(key(jti))) === 1;
}
