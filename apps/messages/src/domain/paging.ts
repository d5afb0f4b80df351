import { isStreamId, ValidationError } from '@bundle/kit';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/**
 * `?after=`: absent means "the newest page"; otherwise a log id ("<ms>-<seq>", both
 * parts 64-bit) after which to read. "0-0" reads from the very start.
 */
export function parseAfter(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isStreamId(value)) {
    throw new ValidationError('after must be a message id such as 1700000000000-0', 'after');
  }
  return value;
}

/**
 * `?limit=`: a whole number, clamped to 1..200 (so limit=100000 reads 200 and limit=0
 * reads 1); anything that is not a whole number is a 400. Absent: 50.
 */
export function parseLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_LIMIT;
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) throw new ValidationError('limit must be a whole number (1 to 200)', 'limit');
  return Math.min(MAX_LIMIT, Math.max(1, Number(value)));
}
