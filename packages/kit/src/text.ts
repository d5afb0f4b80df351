/**
 * What text a person typed may hold, for every app that keeps some (names, messages).
 * Controls break logs and terminals (an ANSI escape repaints one), and the bidirectional
 * overrides and isolates make text read as other text (a right-to-left override turns
 * "evil\u202Enimda" into "eviladmin").
 */
const CONTROL_OR_DIRECTION = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
/** The same, but line feeds, carriage returns and tabs are text in a message. */
const CONTROL_OR_DIRECTION_BUT_LINES = /(?![\t\n\r])[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
/**
 * What shows nothing on its own: spaces, format characters (zero-width space and joiners),
 * combining marks with no letter to mark, and letters drawn blank (Hangul fillers, the
 * braille blank), all favourites of invisible names.
 */
const BLANK = /[\s\p{Z}\p{Cf}\p{M}\u115F\u1160\u3164\uFFA0\u2800]/gu;

/** True when the text holds a control or a text-direction character (line breaks and tabs allowed when `lines`). */
export function hasUnshowable(text: string, options: { lines?: boolean } = {}): boolean {
  return (options.lines ? CONTROL_OR_DIRECTION_BUT_LINES : CONTROL_OR_DIRECTION).test(text);
}

/** True when at least one character of the text shows. */
export function hasVisibleCharacter(text: string): boolean {
  return text.replace(BLANK, '') !== '';
}

/**
 * The most line breaks one text may hold. A message renders one line per break, so 2,000
 * breaks stood 48,000 px tall in every reader's list; 100 still takes a pasted stack trace or
 * a code block, which is the longest a person sends in a chat.
 */
export const MAX_LINE_BREAKS = 100;
/**
 * The most combining marks stacked on one character. Each stacks above or below the last:
 * 2,000 on one letter ("Zalgo" text) stood 48,000 px tall. Real writing needs few:
 * Vietnamese two (in decomposed form), Thai three, pointed Hebrew with cantillation about
 * four. (Unicode's stream-safe format allows 30, but that bounds buffers, not what text needs.)
 */
export const MAX_COMBINING_MARKS = 8;

/** A line break as a reader's screen shows one: CR LF, LF, CR, and the Unicode line and paragraph separators. */
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/g;

/** How many line breaks the text holds (CR LF counts once). */
export function countLineBreaks(text: string): number {
  return text.match(LINE_BREAK)?.length ?? 0;
}

/** More than MAX_COMBINING_MARKS marks in a row; marks and format characters are disjoint classes, so it never backtracks. */
const STACKED_MARKS = new RegExp(`\\p{M}(?:\\p{Cf}*\\p{M}){${MAX_COMBINING_MARKS}}`, 'u');

/**
 * True when more than MAX_COMBINING_MARKS combining marks follow one another: a stack on
 * one character. Format characters between them (zero-width joiners) do not end the run,
 * since the marks after them still land on the same letter.
 */
export function hasStackedMarks(text: string): boolean {
  return STACKED_MARKS.test(text);
}
