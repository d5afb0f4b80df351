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
