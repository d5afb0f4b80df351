import { ConfigError, resolveSecret, tokenCheckSchema, type Env, type TokenCheckSettings, type VcapServices } from '@bundle/kit';
import type convict from 'convict';

export interface UsersSettings extends TokenCheckSettings {
  scryptLogN: number;
  hashConcurrency: number;
  hashQueueLimit: number;
  registrationsPerAddress: number;
  registrationWindowSeconds: number;
  trustedProxyHops: number;
}

/** What the users app needs beyond the kit's base settings (loadAppConfig spreads those in). */
export const usersSchema: convict.Schema<UsersSettings> = {
  ...tokenCheckSchema,
  scryptLogN: {
    doc: "scrypt cost as log2(N) for new password hashes (r = 8, p = 3); 15 is OWASP's setting, lower it only for benchmarks",
    format: 'positive-int',
    default: 15,
    env: 'SCRYPT_LOG_N',
  },
  hashConcurrency: {
    doc: 'Password hashes one instance runs at once; each holds 128 * N * r bytes (32 MiB at the default cost), so 1 keeps a 128M instance (heap capped at 80 MB) under its limit',
    format: 'positive-int',
    default: 1,
    env: 'HASH_CONCURRENCY',
  },
  hashQueueLimit: {
    doc: "Password hashes waiting for a slot (registrations and logins); one more answers 503 with Retry-After. At ~0.1-0.3 s a hash, 8 waiting is at most a few seconds, under the tokens app's USERS_TIMEOUT_MS",
    format: 'whole-number',
    default: 8,
    env: 'HASH_QUEUE_LIMIT',
  },
  registrationsPerAddress: {
    doc: 'Registrations one client address may attempt per window (taken nicknames included) before 429',
    format: 'positive-int',
    default: 5,
    env: 'REGISTRATIONS_PER_ADDRESS',
  },
  registrationWindowSeconds: {
    doc: 'The fixed window registrations are counted in, in seconds',
    format: 'positive-int',
    default: 600,
    env: 'REGISTRATION_WINDOW_SECONDS',
  },
  trustedProxyHops: {
    doc: "Proxies in front of the app that append to X-Forwarded-For (1: the platform router; 2 with a load balancer before Cloud Foundry's gorouter); the client address is the entry the outermost of them appended",
    format: 'whole-number',
    default: 1,
    env: 'TRUSTED_PROXY_HOPS',
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
    throw new ConfigError(
      `SERVICE_KEY: required in production (or a "${SERVICE_KEY_SOURCE.binding}" binding with credentials.${SERVICE_KEY_SOURCE.field})`,
      'SERVICE_KEY',
    );
  }
  return key;
}

/** scrypt's N from SCRYPT_LOG_N, bounded so a typo cannot make every hash take minutes or nothing. */
export function scryptParams(logN: number): { N: number; r: number; p: number } {
  if (logN < 10 || logN > 20) throw new ConfigError('SCRYPT_LOG_N: expected a whole number from 10 to 20', 'SCRYPT_LOG_N');
  return { N: 2 ** logN, r: 8, p: 3 };
}
