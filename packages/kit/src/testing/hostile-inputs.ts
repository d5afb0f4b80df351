import { countLineBreaks, hasStackedMarks, MAX_LINE_BREAKS } from '../text';

/**
 * The kinds of hostile input the fuzz sends to every app, beyond malformed requests, and
 * what each answer must then hold (hostile/README.md lists the findings behind them):
 *   - text that stands tall in every reader's list (scroll bombs) or carries controls a
 *     terminal acts on, in every string of a request body: never answered back;
 *   - a request a page's script made (Fetch Metadata): never answered with a challenge of a
 *     scheme browsers raise their own sign-in dialog for;
 *   - a signed-in caller's request to an operation that needs credentials: its 2xx answer
 *     is `Cache-Control: no-store`.
 */

/** Longer than any password an app takes (128), so only a field shown to people can take one. */
const PAD = 'x'.repeat(130);

/**
 * Strings that must never come back in an answer, each named for the finding report. Each
 * fits in a 2,000-character message, so the caps on its shape refuse it, not its length.
 */
export const TEXT_BOMBS: ReadonlyArray<readonly [name: string, text: string]> = [
  ['1,990 line breaks', `a${'\n'.repeat(1990)}b`],
  ['1,990 combining marks on one letter', `a${'\u0301'.repeat(1990)}`],
  ['combining marks between zero-width joiners', `a${'\u0301\u200d'.repeat(100)}`],
  ['line separators', `a${'\u2028'.repeat(150)}b`],
  ['C1 controls', `${PAD}\u009b2J\u0085\u0090`],
];

/** What a browser adds to a page's fetch (Fetch Metadata); a page cannot set or remove it. */
export const SCRIPT_REQUEST_HEADERS: Readonly<Record<string, string>> = { 'Sec-Fetch-Mode': 'cors', 'Sec-Fetch-Site': 'same-origin' };

/** Schemes for which a browser raises its own sign-in dialog on a 401. */
const PROMPTING_SCHEME = /(^|,)\s*(basic|digest|ntlm|negotiate)\b/i;

/** Whether a string of an answer is one no reader should be shown: a scroll bomb, or a control other than a line break or tab. */
export function isUnshowable(text: string): boolean {
  return countLineBreaks(text) > MAX_LINE_BREAKS || hasStackedMarks(text) || /(?![\t\n\r])\p{Cc}/u.test(text);
}

function unshowableIn(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return isUnshowable(value);
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  return Object.values(value).some((inner) => unshowableIn(inner, depth + 1));
}

/** What a request of the fuzz is, beyond its bytes: the checks its answer gets. */
export interface HostileKind {
  /** It carries a text bomb in its body: the answer must not carry one back. */
  bomb?: string;
  /** It names credentials for an operation that needs them: a 2xx answer must be no-store. */
  personal?: boolean;
}

/** What is wrong with an answer, given the request's headers and kind; undefined when nothing is. */
export function hostileAnswerProblem(
  request: { headers: Record<string, string> } & HostileKind,
  answer: { status: number; headers: Record<string, string | string[] | undefined>; body: unknown },
): string | undefined {
  const challenge = String(answer.headers['www-authenticate'] ?? '');
  const mode = request.headers['Sec-Fetch-Mode'];
  if (mode !== undefined && mode !== 'navigate' && PROMPTING_SCHEME.test(challenge))
    return `answers a page's script with "WWW-Authenticate: ${challenge}", which raises the browser's own sign-in dialog`;
  const type = String(answer.headers['content-type'] ?? '');
  // An event stream is never stored by a cache (push sends no-cache, no-transform, as SSE does).
  if (request.personal && answer.status < 300 && !type.startsWith('text/event-stream')) {
    const cacheControl = String(answer.headers['cache-control'] ?? '');
    if (!/\bno-store\b/.test(cacheControl))
      return `a signed-in caller's ${answer.status} without Cache-Control: no-store (${cacheControl || 'none'})`;
  }
  if (request.bomb && unshowableIn(answer.body)) return `answers ${answer.status} carrying back ${request.bomb}`;
  return undefined;
}
