import { ConfigError, resolveSecret, type Env, type VcapServices } from '@bundle/kit';
import type convict from 'convict';

/** An http(s) URL (convict has no URL format of its own without an extra package). */
function httpUrl(value: unknown): void {
  let protocol = '';
  try {
    protocol = new URL(String(value)).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error('expected an http(s) URL');
}

export interface UsersSettings {
  jwksUrl: string;
  tokenIssuer: string;
  tokenAudience: string;
  scryptLogN: number;
}

/** What the users app needs beyond the kit's base settings (loadAppConfig spreads those in). */
export const usersSchema: convict.Schema<UsersSettings> = {
  jwksUrl: {
    doc: "Where the tokens app serves its public keys; bearer tokens are verified locally against them",
    format: httpUrl,
    default: 'http://127.0.0.1:8080/.well-known/jwks.json',
    env: 'JWKS_URL',
  },
  tokenIssuer: { doc: 'The iss claim every accepted token carries', format: 'non-empty', default: 'urn:chat:tokens', env: 'TOKEN_ISSUER' },
  tokenAudience: { doc: 'The aud claim every accepted token carries', format: 'non-empty', default: 'urn:chat:api', env: 'TOKEN_AUDIENCE' },
  scryptLogN: {
    doc: 'scrypt cost as log2(N) for new password hashes (r = 8, p = 3); 15 is OWASP\'s setting, lower it only for benchmarks',
    format: 'positive-int',
    default: 15,
    env: 'SCRYPT_LOG_N',
  },
};

/** The key the tokens app presents: SERVICE_KEY, else the "service-credentials" binding's credentials.key. */
export const SERVICE_KEY_SOURCE = { variable: 'SERVICE_KEY', binding: 'service-credentials', field: 'key' } as const;

/**
 * The service key, or undefined outside production (the internal route then answers 503
 * and main.ts warns). In production its absence stops the process: logins would fail.
 */
export function readServiceKey(env: Env, services: VcapServices, nodeEnv: string): string | undefined {
  const key = resolveSecret(env, services, SERVICE_KEY_SOURCE);
  if (key === undefined && nodeEnv === 'production') {
    throw new ConfigError(`SERVICE_KEY: required in production (or a "${SERVICE_KEY_SOURCE.binding}" binding with credentials.${SERVICE_KEY_SOURCE.field})`, 'SERVICE_KEY');
  }
  return key;
}

/** scrypt's N from SCRYPT_LOG_N, bounded so a typo cannot make every hash take minutes or nothing. */
export function scryptParams(logN: number): { N: number; r: number; p: number } {
  if (logN < 10 || logN > 20) throw new ConfigError('SCRYPT_LOG_N: expected a whole number from 10 to 20', 'SCRYPT_LOG_N');
  return { N: 2 ** logN, r: 8, p: 3 };
}
