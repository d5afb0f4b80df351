import type convict from 'convict';
import '../config/settings'; // registers the formats used below

/** What every app that checks bearer tokens reads: where the keys are, and the claims it accepts. */
export interface TokenCheckSettings {
  jwksUrl: string;
  tokenIssuer: string;
  tokenAudience: string;
}

/** Spread into an app's schema; the values go to createTokenVerifier. */
export const tokenCheckSchema: convict.Schema<TokenCheckSettings> = {
  jwksUrl: {
    doc: 'Where the tokens app serves its public keys (JWKS); bearer tokens are verified locally against them',
    format: 'http-url',
    default: 'http://127.0.0.1:8080/.well-known/jwks.json',
    env: 'JWKS_URL',
  },
  tokenIssuer: { doc: 'The iss claim every accepted token carries', format: 'non-empty', default: 'urn:chat:tokens', env: 'TOKEN_ISSUER' },
  tokenAudience: { doc: 'The aud claim every accepted token carries', format: 'non-empty', default: 'urn:chat:api', env: 'TOKEN_AUDIENCE' },
};
