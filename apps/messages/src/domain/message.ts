import {
  countLineBreaks,
  hasStackedMarks,
  hasUnshowable,
  hasVisibleCharacter,
  MAX_COMBINING_MARKS,
  MAX_LINE_BREAKS,
  ValidationError,
} from '@bundle/kit';

/** The longest message, in Unicode code points after trimming (issue 3). */
export const MAX_TEXT_LENGTH = 2000;

export interface Author {
  id: string;
  nickname: string;
}

/** A message as the API and the event bus show it; `id` is its id in the message log. */
export interface Message {
  id: string;
  text: string;
  author: Author;
  created_at: string;
}

// With the u flag a surrogate only matches when it is unpaired, i.e. not a real character.
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * The text of a new message from a request body: a string of 1 to 2000 characters once
 * leading and trailing whitespace is trimmed, counted as code points (an emoji is one),
 * with at most 100 line breaks and 8 combining marks on any one character (the kit's caps).
 * It is otherwise kept exactly as sent: no HTML escaping here, the client renders text.
 */
export function validateText(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ValidationError('expected a JSON object {"text": "..."}', 'text');
  const text = (body as { text?: unknown }).text;
  if (typeof text !== 'string') throw new ValidationError('text must be a string', 'text');
  const trimmed = text.trim();
  if (trimmed === '') throw new ValidationError('text must not be empty or only whitespace', 'text');
  if (LONE_SURROGATE.test(trimmed)) throw new ValidationError('text must be valid Unicode', 'text');
  // Every reader's client shows it: no terminal escapes, no text that reads as other text, nothing invisible.
  if (hasUnshowable(trimmed, { lines: true }))
    throw new ValidationError('text must not contain control characters (line breaks and tabs aside) or text-direction overrides', 'text');
  if (!hasVisibleCharacter(trimmed))
    throw new ValidationError('text must have a character that shows (not only blank or zero-width ones)', 'text');
  const length = codePointLength(trimmed, MAX_TEXT_LENGTH + 1);
  if (length > MAX_TEXT_LENGTH) throw new ValidationError(`text must be at most ${MAX_TEXT_LENGTH} characters`, 'text');
  // Nothing may stand taller than a person's message: no scroll bombs in every reader's list.
  if (countLineBreaks(trimmed) > MAX_LINE_BREAKS)
    throw new ValidationError(`text must have at most ${MAX_LINE_BREAKS} line breaks`, 'text');
  if (hasStackedMarks(trimmed))
    throw new ValidationError(`text must not stack more than ${MAX_COMBINING_MARKS} combining marks on one character`, 'text');
  return trimmed;
}

/** Counts code points, stopping early at `stopAt` so a huge string costs no more than needed. */
export function codePointLength(text: string, stopAt = Infinity): number {
  let count = 0;
  for (const _ of text) {
    count += 1;
    if (count >= stopAt) break;
  }
  return count;
}

/** A message's time is the time in its log id ("<ms>-<seq>"), so order and time never disagree. */
export function createdAt(id: string): string {
  return new Date(Number(id.slice(0, id.indexOf('-')))).toISOString();
}
