import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented service key with the configured one in constant time. Both are
 * hashed first so the comparison never depends on (or leaks) the key's length.
 */
export function serviceKeyMatches(presented: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
