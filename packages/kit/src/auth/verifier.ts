import type { JWTVerifyGetKey } from 'jose';
import { ServiceUnavailableError, UnauthorizedError } from '../errors';

/** The only algorithms a token may be signed with: asymmetric, never "none" or HMAC. */
export const TOKEN_ALGORITHMS = ['ES256', 'EdDSA'];

/** Who the caller is, from a verified token. */
export interface Caller {
  id: string;
  nickname: string;
  /** The token's id and expiry (seconds), for revocation. */
  jti: string;
  exp: number;
  /** The kid of the key that signed it (when the token names one), for key retirement. */
  kid?: string;
  token: string;
}

export interface TokenVerifierOptions {
  /** Where the tokens app serves its JWKS, e.g. http://tokens.internal/.well-known/jwks.json. */
  jwksUrl?: string;
  /** Or the keys themselves (tests, and the tokens app verifying its own tokens). */
  keys?: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** Consulted after the signature checks out: the token's id, and the kid that signed it (a retired key revokes all its tokens). */
  isRevoked?: (jti: string, kid: string | undefined) => Promise<boolean>;
  jwksTimeoutMs?: number;
}

export type TokenVerifier = (token: string) => Promise<Caller>;

/**
 * Verifies bearer tokens locally: signature against the JWKS (fetched once, cached, and
 * fetched again when a token names an unknown kid, so rotated keys work at once), the
 * algorithm, exp, iss and aud, then the revocation list.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  // Loaded when an app first makes a verifier: jose is about 10 MB of resident memory,
  // which an app that checks no tokens (ui, bench/kit) never needs.
  const { createRemoteJWKSet, errors, jwtVerify } = require('jose') as typeof import('jose');
  const keys =
    options.keys ??
    createRemoteJWKSet(new URL(required(options.jwksUrl)), {
      timeoutDuration: options.jwksTimeoutMs ?? 2000,
      cooldownDuration: 5000,
      cacheMaxAge: 10 * 60_000,
    });
  return async (token) => {
    let payload;
    let protectedHeader;
    try {
      ({ payload, protectedHeader } = await jwtVerify(token, keys, {
        algorithms: TOKEN_ALGORITHMS,
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ['exp', 'sub', 'jti'],
      }));
    } catch (error) {
      throw toUnauthorized(error, errors);
    }
    const { sub, jti, exp } = payload;
    const nickname = payload.nickname;
    if (typeof sub !== 'string' || typeof jti !== 'string' || typeof exp !== 'number' || typeof nickname !== 'string') {
      throw invalid('the token lacks sub, jti, exp or nickname');
    }
    const kid = protectedHeader.kid;
    if (options.isRevoked && (await options.isRevoked(jti, kid))) throw invalid('the token has been revoked');
    return { id: sub, nickname, jti, exp, ...(kid === undefined ? {} : { kid }), token };
  };
}

function required(url: string | undefined): string {
  if (!url) throw new Error('createTokenVerifier needs jwksUrl or keys');
  return url;
}

const INVALID_TOKEN = 'Bearer error="invalid_token"';
const invalid = (message: string): UnauthorizedError => new UnauthorizedError(message, INVALID_TOKEN);

/** Says why a token failed without echoing it; signing keys we cannot fetch are our problem (503), not the caller's. */
function toUnauthorized(error: unknown, errors: typeof import('jose').errors): Error {
  if (error instanceof errors.JWTExpired) return invalid('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) return invalid(`the token's ${error.claim} claim is not accepted`);
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid('the token is signed with an algorithm that is not accepted');
  if (error instanceof errors.JWKSNoMatchingKey) return invalid('the token is signed with an unknown key');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)) {
    return new ServiceUnavailableError('the signing keys cannot be fetched', { cause: error });
  }
  return invalid('the token is not valid');
}
