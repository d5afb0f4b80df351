import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTVerifyGetKey } from 'jose';

export const TEST_ISSUER = 'http://tokens.test';
export const TEST_AUDIENCE = 'chat';

export interface TestTokens {
  /** Pass as `keys` to createTokenVerifier. */
  keys: JWTVerifyGetKey;
  jwks: { keys: JWK[] };
  /** A valid token for a user; override any claim or the expiry. */
  sign(
    user: { id: string; nickname: string },
    overrides?: { expiresInSeconds?: number; claims?: Record<string, unknown>; kid?: string },
  ): Promise<string>;
}

/** An ES256 key pair made for the test run, signing tokens shaped like the tokens app's. */
export async function createTestTokens(kid = 'test-key'): Promise<TestTokens> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] };
  return {
    keys: createLocalJWKSet(jwks),
    jwks,
    async sign(user, overrides = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ nickname: user.nickname, ...overrides.claims })
        .setProtectedHeader({ alg: 'ES256', kid: overrides.kid ?? kid })
        .setSubject(user.id)
        .setIssuer(TEST_ISSUER)
        .setAudience(TEST_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + (overrides.expiresInSeconds ?? 900))
        .setJti(randomUUID())
        .sign(privateKey);
    },
  };
}
