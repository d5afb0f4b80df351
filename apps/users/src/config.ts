import { ConfigError, resolveSecret, tokenCheckSchema, type Env, type TokenCheckSettings, type VcapServices } from '@bundle/kit';
import type convict from 'convict';

export interface UsersSettings extends TokenCheckSettings {
  scryptLogN: number;
}

/** What the users app needs beyond the kit's base settings (loadAppConfig spreads those in). */
export const usersSchema: convict.Schema<UsersSettings> = {
  ...tokenCheckSchema,
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
