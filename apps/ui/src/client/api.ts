/**
 * The chat's HTTP APIs, on this page's own origin (the platform routes by path), so the
 * client needs no configuration. Every failure becomes an ApiError with a sentence a
 * person can act on, taken from the API's `{"error":{"message"}}` when there is one.
 */
import type { Author, ErrorBody, IssuedToken, Message, MessagePage, NewMessage, Registration } from './api-types';
import { toAuthor, toMessage } from './model';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    /** Seconds to wait before trying again (429, 503), when the server said. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export interface Session {
  token: string;
  /** When the token expires, ms since the epoch. */
  expiresAt: number;
  user: Author;
}

/** Turns an error response into a sentence: the API's own message, with the wait when it is rate limited. */
export function describeFailure(status: number, body: unknown, retryAfterHeader: string | null): ApiError {
  // Typed as the documents say, checked as if they did not: a proxy may answer in its own words.
  const error = typeof body === 'object' && body !== null ? (body as Partial<ErrorBody>).error : undefined;
  const code = typeof error?.code === 'string' ? error.code : `http_${status}`;
  const retryAfter = retryAfterHeader !== null && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : undefined;
  let message = typeof error?.message === 'string' && error.message !== '' ? error.message : fallbackMessage(status);
  message = message.charAt(0).toUpperCase() + message.slice(1);
  if (!/[.!?]$/.test(message)) message += '.';
  if (retryAfter !== undefined) message += ` Try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`;
  return new ApiError(message, status, code, retryAfter);
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Please log in again.';
  if (status === 429) return 'Too many attempts.';
  if (status >= 500) return 'The service is unavailable right now.';
  return `The request failed (${status}).`;
}

async function call(path: string, init: RequestInit & { token?: string; json?: unknown }): Promise<{ body: unknown; response: Response }> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(init.json);
  }
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, body, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError('Cannot reach the server. Check your connection and try again.', 0, 'network');
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) throw describeFailure(response.status, parsed, response.headers.get('Retry-After'));
  return { body: parsed, response };
}

/** Basic credentials for POST /api/tokens: UTF-8 safe (btoa alone only takes Latin-1). */
export function basicCredentials(nickname: string, password: string): string {
  const bytes = new TextEncoder().encode(`${nickname}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** The `sub` and `nickname` claims of our own token: shown in the header, never trusted by a server. */
export function readTokenClaims(token: string): Author | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as { sub?: unknown; nickname?: unknown };
    return toAuthor({ id: claims.sub, nickname: claims.nickname });
  } catch {
    return undefined;
  }
}

export async function register(nickname: string, password: string): Promise<Author> {
  const registration: Registration = { nickname, password };
  const { body } = await call('/api/users', { method: 'POST', json: registration });
  const user = toAuthor(body);
  if (!user) throw new ApiError('The server sent an unexpected answer.', 200, 'bad_response');
  return user;
}

export async function logIn(nickname: string, password: string, now = Date.now()): Promise<Session> {
  // X-Requested-With: a wrong password is answered without a Basic challenge, which would raise the browser's own dialog.
  const headers = { Authorization: basicCredentials(nickname, password), 'X-Requested-With': 'XMLHttpRequest' };
  const { body } = await call('/api/tokens', { method: 'POST', headers });
  const answer = body as Partial<IssuedToken> | undefined;
  const token = typeof answer?.access_token === 'string' ? answer.access_token : '';
  const user = readTokenClaims(token);
  if (!user) throw new ApiError('The server sent an unexpected answer.', 200, 'bad_response');
  const expiresIn = typeof answer?.expires_in === 'number' ? answer.expires_in : 3600;
  return { token, expiresAt: now + expiresIn * 1000, user };
}

export async function logOut(token: string): Promise<void> {
  await call('/api/tokens', { method: 'DELETE', token });
}

export async function listMessages(token: string, limit = 50): Promise<Message[]> {
  const { body } = await call(`/api/messages?limit=${limit}`, { method: 'GET', token });
  const items = (body as Partial<MessagePage> | undefined)?.items;
  return Array.isArray(items) ? items.map(toMessage).filter((message): message is Message => message !== undefined) : [];
}

export async function postMessage(token: string, text: string): Promise<Message | undefined> {
  const draft: NewMessage = { text };
  const { body } = await call('/api/messages', { method: 'POST', token, json: draft });
  return toMessage(body);
}
