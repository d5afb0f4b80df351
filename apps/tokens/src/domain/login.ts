import { AppError, TooManyRequestsError, type Logger } from '@bundle/kit';
import { pairKey, type FailureLimits, type LoginStore } from '../store';
import type { UsersClient } from '../users-client';
import { BASIC_CHALLENGE, type BasicCredentials } from './basic-auth';
import type { AddressSlowdown } from './address-slowdown';
import type { LoginTurns } from './login-turns';
import type { TokenKeys } from './keys';
import { issueToken, type IssuedToken, type TokenPolicy } from './tokens';

/** How many failures a (nickname, address) pair and an address may have per window. */
export type LoginLimits = FailureLimits;

/** Who is logging in from where, and the challenge a wrong password is answered with (basic-auth.ts). */
export interface LoginRequest {
  address: string;
  requestId: string;
  log: Logger;
  challenge?: string;
}

export interface LoginDeps {
  store: LoginStore;
  /** Whose logins may be with the users app now (login-turns.ts). */
  turns: LoginTurns;
  /** The lane and the held answers of addresses past their failure limit (address-slowdown.ts). */
  slowdown: AddressSlowdown;
  users: UsersClient;
  keys: TokenKeys;
  policy: TokenPolicy;
}

/** Seconds a client should wait, from a window's remaining milliseconds (never 0: that would invite a retry at once). */
export function retryAfterSeconds(remainingMs: number): number {
  return Math.max(1, Math.ceil(remainingMs / 1000));
}

export class InvalidCredentialsError extends AppError {
  override readonly name = 'InvalidCredentialsError';
  constructor(challenge = BASIC_CHALLENGE) {
    super(401, 'invalid_credentials', 'the nickname or password is wrong', { headers: { 'WWW-Authenticate': challenge } });
  }
}

/**
 * A login: it waits for its pair's turn (login-turns.ts: two at a time with the users app,
 * eight waiting, the next 429), then the failure counts are read before the users app is
 * asked, so a blocked guesser costs it nothing, and only a wrong password is counted, after
 * the answer. Counting only answers means parallel logins never count against each other
 * (a user's ten tabs all get in); with turns, a burst of parallel guesses of one pair runs
 * past the limit by one at most.
 * The pair's count refuses (429); the address's never does: past its limit, the address's
 * logins take a place in its lane and a wrong password's answer is held (address-slowdown.ts),
 * while a right one goes out at once.
 * An answer that never came (users down or busy) is not the caller's failure: nothing counts.
 */
export async function logIn(deps: LoginDeps, credentials: BasicCredentials, request: LoginRequest): Promise<IssuedToken> {
  const endTurn = await deps.turns.take(pairKey(credentials.nickname, request.address));
  if (endTurn === undefined)
    throw new TooManyRequestsError('too many logins of this nickname at once from this address: try again shortly', 1);
  try {
    return await checkedLogIn(deps, credentials, request);
  } finally {
    endTurn();
  }
}

async function checkedLogIn(deps: LoginDeps, credentials: BasicCredentials, request: LoginRequest): Promise<IssuedToken> {
  const standing = await deps.store.standing(credentials.nickname, request.address);
  if (!standing.allowed) {
    throw new TooManyRequestsError('too many failed logins: wait before trying again', retryAfterSeconds(standing.retryAfterMs));
  }
  const past = standing.slowedPast;
  if (past === undefined) return verify(deps, credentials, request);
  const delayMs = deps.slowdown.delayMs(past);
  const endPlace = await deps.slowdown.take(request.address);
  if (endPlace === undefined)
    throw new TooManyRequestsError(
      'this address has failed many logins, so its logins go two at a time: try again shortly',
      retryAfterSeconds(delayMs),
    );
  try {
    return await verify(deps, credentials, request, () => deps.slowdown.hold(delayMs));
  } finally {
    endPlace();
  }
}

/** Asks the users app; a wrong password is counted, then answered after `beforeRefusal` (the slowdown's hold). */
async function verify(
  deps: LoginDeps,
  credentials: BasicCredentials,
  request: LoginRequest,
  beforeRefusal?: () => Promise<void>,
): Promise<IssuedToken> {
  const verdict = await deps.users.verifyCredentials(credentials.nickname, credentials.password, request.requestId);
  if (!verdict.ok) {
    await deps.store.recordFailure(credentials.nickname, request.address);
    await beforeRefusal?.();
    throw new InvalidCredentialsError(request.challenge);
  }
  await bestEffort(deps.store.recordSuccess(credentials.nickname, request.address), request.log);
  return issueToken(deps.keys, deps.policy, verdict.user);
}

/**
 * Ending a count is a courtesy: if Redis fails right then, the count stays until its
 * window ends, which errs on the safe side; the login's own answer matters more.
 */
async function bestEffort(work: Promise<unknown>, log: Logger): Promise<void> {
  try {
    await work;
  } catch (error) {
    log.warn({ err: { message: (error as Error).message } }, 'could not clear a failed-login count');
  }
}
