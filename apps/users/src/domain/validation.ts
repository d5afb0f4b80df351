import { hasStackedMarks, hasUnshowable, hasVisibleCharacter, MAX_COMBINING_MARKS, ValidationError } from '@bundle/kit';
import { isIndexMember } from '../store';
import { parseNewNickname, type Nickname } from './nickname';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const DISPLAY_NAME_MAX = 64;
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** The body as an object, or a 400 naming `body`; fields outside `allowed` are refused by name. */
export function objectBody(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('the body must be a JSON object', 'body');
  }
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw new ValidationError(`unknown field "${unknown}" (allowed: ${allowed.join(', ')})`, unknown);
  return body as Record<string, unknown>;
}

/** Length in characters as a person counts them (code points, not UTF-16 units). */
const length = (value: string): number => [...value].length;

export function parsePassword(value: unknown): string {
  if (value === undefined) throw new ValidationError('password is required', 'password');
  if (typeof value !== 'string') throw new ValidationError('password must be a string', 'password');
  // Checked on UTF-16 length first so a huge string is refused before it is spread.
  if (value.length > PASSWORD_MAX * 2 || length(value) > PASSWORD_MAX || length(value) < PASSWORD_MIN) {
    throw new ValidationError(`password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`, 'password');
  }
  return value;
}

export function parseDisplayName(value: unknown): string {
  if (value === undefined) throw new ValidationError('display_name is required', 'display_name');
  if (typeof value !== 'string') throw new ValidationError('display_name must be a string', 'display_name');
  const trimmed = value.trim();
  if (trimmed.length === 0 || value.length > DISPLAY_NAME_MAX * 4 || length(trimmed) > DISPLAY_NAME_MAX) {
    throw new ValidationError(`display_name must be 1 to ${DISPLAY_NAME_MAX} characters after trimming`, 'display_name');
  }
  // Control characters break log and terminal output; bidirectional overrides make a name
  // read as another one (a right-to-left override turns "evil\u202Enimda" into "eviladmin").
  if (hasUnshowable(trimmed))
    throw new ValidationError('display_name must not contain control or text-direction characters', 'display_name');
  if (!hasVisibleCharacter(trimmed))
    throw new ValidationError('display_name must have a character that shows (not only blank or zero-width ones)', 'display_name');
  // Line breaks are controls, refused above; a stack of marks would stand as tall as a scroll bomb wherever the name shows.
  if (hasStackedMarks(trimmed))
    throw new ValidationError(
      `display_name must not stack more than ${MAX_COMBINING_MARKS} combining marks on one character`,
      'display_name',
    );
  return trimmed;
}

export interface Registration {
  nickname: Nickname;
  password: string;
  display_name?: string;
}

export function parseRegistration(body: unknown): Registration {
  const fields = objectBody(body, ['nickname', 'password', 'display_name']);
  const registration: Registration = { nickname: parseNewNickname(fields.nickname), password: parsePassword(fields.password) };
  if (fields.display_name !== undefined) registration.display_name = parseDisplayName(fields.display_name);
  return registration;
}

export function parseProfilePatch(body: unknown): { display_name: string } {
  const fields = objectBody(body, ['display_name']);
  return { display_name: parseDisplayName(fields.display_name) };
}

/** The internal credential check only needs two strings; their shape is judged by the lookup. */
export function parseCredentials(body: unknown): { nickname: string; password: string } {
  const fields = objectBody(body, ['nickname', 'password']);
  for (const field of ['nickname', 'password'] as const) {
    if (typeof fields[field] !== 'string') throw new ValidationError(`${field} must be a string`, field);
  }
  return { nickname: fields.nickname as string, password: fields.password as string };
}

/** ?limit= clamped to 1..100 (a number is required when given); ?cursor= as handed out by a previous page. */
export function parsePage(query: Record<string, string | string[] | undefined>): { limit: number; after?: string } {
  const { limit: rawLimit, cursor } = query;
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== undefined) {
    if (typeof rawLimit !== 'string' || !/^-?\d{1,20}$/.test(rawLimit)) throw new ValidationError('limit must be a whole number', 'limit');
    limit = Math.min(MAX_LIMIT, Math.max(1, Number(rawLimit)));
  }
  if (cursor === undefined) return { limit };
  const after = typeof cursor === 'string' ? decodeCursor(cursor) : undefined;
  if (after === undefined) throw new ValidationError('cursor is not one this service handed out', 'cursor');
  return { limit, after };
}

export function encodeCursor(member: string): string {
  return Buffer.from(member, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(cursor)) return undefined;
  const member = Buffer.from(cursor, 'base64url').toString('utf8');
  return isIndexMember(member) ? member : undefined;
}
