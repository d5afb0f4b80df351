/**
 * Keeps the session for this tab only (sessionStorage): a reload stays logged in, a new
 * tab or a closed browser does not, and nothing outlives the token's own expiry.
 */
import type { Session } from './api';
import { toAuthor } from './model';

const KEY = 'chat.session';

export function loadSession(storage: Storage, now = Date.now()): Session | undefined {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<Session>;
    const user = toAuthor(parsed.user);
    if (typeof parsed.token !== 'string' || typeof parsed.expiresAt !== 'number' || !user || parsed.expiresAt <= now) {
      storage.removeItem(KEY);
      return undefined;
    }
    return { token: parsed.token, expiresAt: parsed.expiresAt, user };
  } catch {
    return undefined; // storage disabled (private mode): the session lives in memory only
  }
}

export function saveSession(storage: Storage, session: Session): void {
  try {
    storage.setItem(KEY, JSON.stringify(session));
  } catch {
    // storage full or disabled: the session still works until the tab reloads
  }
}

export function clearSession(storage: Storage): void {
  try {
    storage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

/**
 * Whether a session's token can still open a stream: a stream that ended at its token's
 * expiry must not be reopened with the same token (push would answer 401), so the page
 * ends the session instead and asks to log in again.
 */
export function hasExpired(session: Pick<Session, 'expiresAt'>, now = Date.now()): boolean {
  return session.expiresAt <= now;
}
