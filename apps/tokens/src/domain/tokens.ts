import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { TokenKeys } from './keys';

export interface TokenPolicy {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** Signs an access token for a user the users app vouched for; its random jti is what revocation names. */
export async function issueToken(
  keys: TokenKeys,
  policy: TokenPolicy,
  user: { id: string; nickname: string },
  now = Date.now(),
): Promise<IssuedToken> {
  const issuedAt = Math.floor(now / 1000);
  const token = await new SignJWT({ nickname: user.nickname })
    .setProtectedHeader({ alg: keys.signing.alg, kid: keys.signing.kid, typ: 'JWT' })
    .setSubject(user.id)
    .setIssuer(policy.issuer)
    .setAudience(policy.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + policy.ttlSeconds)
    .setJti(randomUUID())
    .sign(keys.signing.privateKey);
  return { access_token: token, token_type: 'Bearer', expires_in: policy.ttlSeconds };
}
