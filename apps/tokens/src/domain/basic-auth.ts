import type { IncomingHttpHeaders } from 'node:http';
import { AppError } from '@bundle/kit';

/** The challenge a 401 of POST /api/tokens carries (RFC 7617), for every client but a page's script. */
export const BASIC_CHALLENGE = 'Basic realm="chat"';
/**
 * The challenge for a page's own script (fetch, XHR): Basic under a name no browser acts
 * on. A 401 must carry a challenge (RFC 9110 11.6.1), but a browser that meets "Basic" on
 * the answer to a page's fetch raises its own sign-in dialog over the page, which then
 * sends the typed password again without the page; renaming the scheme is the usual way
 * round it. A client that sends Basic from a terminal or a library still gets "Basic".
 */
export const SCRIPT_CHALLENGE = 'xBasic realm="chat"';

/**
 * Whether a page's script sent the request, as opposed to a navigation or a client outside a
 * browser: the browser says so itself in Fetch Metadata (`Sec-Fetch-Mode` other than
 * `navigate`; a page cannot forge it), or the script says so with the conventional
 * `X-Requested-With: XMLHttpRequest` (browsers send no Fetch Metadata to plain-http origins
 * other than localhost, so the ui sends it too).
 */
export function isScriptRequest(headers: IncomingHttpHeaders): boolean {
  const mode = headers['sec-fetch-mode'];
  if (typeof mode === 'string' && mode !== '' && mode !== 'navigate') return true;
  const requestedWith = headers['x-requested-with'];
  return typeof requestedWith === 'string' && requestedWith.toLowerCase() === 'xmlhttprequest';
}

/** The challenge a 401 of this request carries. */
export const challengeFor = (headers: IncomingHttpHeaders): string => (isScriptRequest(headers) ? SCRIPT_CHALLENGE : BASIC_CHALLENGE);

/** Longer than any nickname or password the users app accepts: not worth a round trip. */
const MAX_NICKNAME = 128;
const MAX_PASSWORD = 1024;

export interface BasicCredentials {
  nickname: string;
  password: string;
}

export class BasicAuthError extends AppError {
  override readonly name = 'BasicAuthError';
  constructor(message: string, challenge = BASIC_CHALLENGE) {
    super(401, 'unauthorized', message, { headers: { 'WWW-Authenticate': challenge } });
  }
}

/** Reads `Authorization: Basic base64(nickname:password)`, or says what is wrong with it (never echoing it), with `challenge`. */
export function parseBasicAuth(header: string | undefined, challenge = BASIC_CHALLENGE): BasicCredentials {
  const refuse = (message: string): BasicAuthError => new BasicAuthError(message, challenge);
  if (!header) throw refuse('send the nickname and password as "Authorization: Basic base64(nickname:password)"');
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match?.[1]) throw refuse('expected "Authorization: Basic base64(nickname:password)"');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) throw refuse('expected base64 of "nickname:password", both non-empty');
  const nickname = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (nickname.length > MAX_NICKNAME || password.length > MAX_PASSWORD) throw refuse('the nickname or password is too long');
  if (decoded.includes('\uFFFD')) throw refuse('the credentials are not valid UTF-8');
  return { nickname, password };
}
