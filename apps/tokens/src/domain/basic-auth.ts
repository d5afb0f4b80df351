import { AppError } from '@bundle/kit';

/** The challenge every 401 of POST /api/tokens carries (RFC 7617). */
export const BASIC_CHALLENGE = 'Basic realm="chat"';

/** Longer than any nickname or password the users app accepts: not worth a round trip. */
const MAX_NICKNAME = 128;
const MAX_PASSWORD = 1024;

export interface BasicCredentials {
  nickname: string;
  password: string;
}

export class BasicAuthError extends AppError {
  override readonly name = 'BasicAuthError';
  constructor(message: string) {
    super(401, 'unauthorized', message, { headers: { 'WWW-Authenticate': BASIC_CHALLENGE } });
  }
}

/** Reads `Authorization: Basic base64(nickname:password)`, or says what is wrong with it (never echoing it). */
export function parseBasicAuth(header: string | undefined): BasicCredentials {
  if (!header) throw new BasicAuthError('send the nickname and password as "Authorization: Basic base64(nickname:password)"');
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match?.[1]) throw new BasicAuthError('expected "Authorization: Basic base64(nickname:password)"');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) throw new BasicAuthError('expected base64 of "nickname:password", both non-empty');
  const nickname = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (nickname.length > MAX_NICKNAME || password.length > MAX_PASSWORD) throw new BasicAuthError('the nickname or password is too long');
  if (decoded.includes('\uFFFD')) throw new BasicAuthError('the credentials are not valid UTF-8');
  return { nickname, password };
}
