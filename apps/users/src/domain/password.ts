import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashes: scrypt with a random 16-byte salt per hash, stored with their
 * parameters so the cost can be raised later without breaking existing hashes:
 *   scrypt$<N>$<r>$<p>$<salt base64>$<key base64>
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** One of OWASP's recommended scrypt settings (32 MiB per hash); SCRYPT_LOG_N lowers N for benchmarks. */
export const DEFAULT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

function derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; allow that plus headroom instead of the 32 MiB default.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params, KEY_LENGTH);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True when the password matches the stored hash; compares in constant time. A malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = FORMAT.exec(stored);
  if (!match) return false;
  const [, n, r, p, salt = '', expected = ''] = match;
  const expectedKey = Buffer.from(expected, 'base64');
  if (expectedKey.length === 0) return false;
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) }, expectedKey.length);
  return timingSafeEqual(key, expectedKey);
}

const dummies = new Map<string, Promise<string>>();

/**
 * A hash of a random password, made once per parameter set: checking a password for an
 * unknown nickname against it costs as much as for a real user, so timing does not tell
 * which nicknames exist.
 */
export function dummyHash(params: ScryptParams = DEFAULT_PARAMS): Promise<string> {
  const key = `${params.N}:${params.r}:${params.p}`;
  let hash = dummies.get(key);
  if (hash === undefined) {
    hash = hashPassword(randomBytes(16).toString('hex'), params);
    dummies.set(key, hash);
  }
  return hash;
}
