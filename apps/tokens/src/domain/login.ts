import { AppError, TooManyRequestsError, type Logger } from '@bundle/kit';
import type { LoginStore } from '../store';
import { addressKey, nicknameKey } from '../store';
import type { UsersClient } from '../users-client';
import { BASIC_CHALLENGE, type BasicCredentials } from './basic-auth';
import type { TokenKeys } from './keys';
import { issueToken, type IssuedToken, type TokenPolicy } from './tokens';

export interface LoginLimits {
  maxFailuresPerNickname: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

export interface LoginDeps {
  store: LoginStore;
  users: UsersClient;
  keys: TokenKeys;
  policy: TokenPolicy;
  limits: LoginLimits;
}

/** Seconds a client should wait, from a window's remaining milliseconds (never 0: that would invite a retry at once). */
export function retryAfterSeconds(remainingMs: number): number {
  return Math.max(1, Math.ceil(remainingMs / 1000));
}

export class InvalidCredentialsError extends AppError {
  override readonly name = 'InvalidCredentialsError';
  constructor() {
    super(401, 'invalid_credentials', 'the nickname or password is wrong', { headers: { 'WWW-Authenticate': BASIC_CHALLENGE } });
  }
}

/**
 * A login: the failure limits are checked (and this attempt counted) before the users app
 * is asked, so a blocked guesser costs it nothing. Only failures stay counted: a success
 * takes its count back from the address and clears the nickname's; an answer that never
 * came (users down) is not the caller's failure and is taken back from both.
 */
export async function logIn(deps: LoginDeps, credentials: BasicCredentials, request: { address: string; requestId: string; log: Logger }): Promise<IssuedToken> {
  const nick = nicknameKey(credentials.nickname);
  const ip = addressKey(request.address);
  const reservation = await deps.store.reserveAttempt(
    [
      { key: nick, max: deps.limits.maxFailuresPerNickname },
      { key: ip, max: deps.limits.maxFailuresPerAddress },
    ],
    deps.limits.windowSeconds * 1000,
  );
  if (!reservation.allowed) {
    throw new TooManyRequestsError('too many failed logins: wait before trying again', retryAfterSeconds(reservation.retryAfterMs));
  }
  let verdict;
  try {
    verdict = await deps.users.verifyCredentials(credentials.nickname, credentials.password, request.requestId);
  } catch (error) {
    await bestEffort(deps.store.refundAttempt([nick, ip]), request.log);
    throw error;
  }
  if (!verdict.ok) throw new InvalidCredentialsError();
  await bestEffort(Promise.all([deps.store.clear([nick]), deps.store.refundAttempt([ip])]), request.log);
  return issueToken(deps.keys, deps.policy, verdict.user);
}

/**
 * Taking a count back is a courtesy: if Redis fails right then, the count stays until its
 * window ends, which errs on the safe side; the login's own answer matters more.
 */
async function bestEffort(work: Promise<unknown>, log: Logger): Promise<void> {
  try {
    await work;
  } catch (error) {
    log.warn({ err: { message: (error as Error).message } }, 'could not take back a login attempt count');
  }
}
