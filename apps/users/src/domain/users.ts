import { randomUUID } from 'node:crypto';
import { AppError, ConflictError, NotFoundError, type EventBus, type Logger } from '@bundle/kit';
import type { StoredUser, UserStore } from '../store';
import type { HashGate } from './hash-gate';
import { nicknameKey } from './nickname';
import { dummyHash, hashPassword, verifyPassword, type ScryptParams } from './password';
import type { RegistrationLimit } from './registration-limit';
import { encodeCursor, PASSWORD_MAX, type Registration } from './validation';

export interface UsersDomain {
  store: UserStore;
  bus: EventBus;
  hashParams: ScryptParams;
  /** Every password hash of this instance goes through it (memory bound). */
  hashGate: HashGate;
  registrationLimit: RegistrationLimit;
}

export interface RequestContext {
  requestId: string;
  log: Logger;
  /** The client address as the trusted routers saw it (ctx.ip). */
  address: string;
}

const taken = (): ConflictError => new ConflictError('that nickname is taken', 'nickname');

export async function registerUser(domain: UsersDomain, input: Registration, request: RequestContext): Promise<StoredUser> {
  // Counted before anything else, a taken nickname included: otherwise registration would
  // be an unlimited way to test which nicknames exist.
  await domain.registrationLimit.take(request.address);
  // A cheap early answer for the common case; the atomic claim in the store is what decides.
  if (await domain.store.isNicknameTaken(input.nickname.lower)) throw taken();
  const user: StoredUser = {
    id: randomUUID(),
    nickname: input.nickname.display,
    display_name: input.display_name ?? input.nickname.display,
    created_at: new Date().toISOString(),
  };
  let password_hash: string;
  try {
    password_hash = await domain.hashGate.run(() => hashPassword(input.password, domain.hashParams));
  } catch (error) {
    // Busy hashing is this instance's state, not the caller's doing: the retry it is told to make must not cost it an attempt.
    await domain.registrationLimit.giveBack(request.address).catch(() => undefined);
    throw error;
  }
  if (!(await domain.store.create({ ...user, nicknameLower: input.nickname.lower, password_hash }))) throw taken();
  try {
    await domain.bus.publish('user.created', { id: user.id, nickname: user.nickname, created_at: user.created_at }, request.requestId);
  } catch (error) {
    // The account exists: failing the request now would make the client retry into a 409.
    // Consumers treat the bus as a notification, so a missed user.created costs a live update only.
    request.log.error({ err: error, user_id: user.id }, 'user.created could not be published');
  }
  return user;
}

export async function getUser(domain: UsersDomain, id: string): Promise<StoredUser> {
  const user = await domain.store.findById(id);
  if (!user) throw new NotFoundError(`no user with id ${id}`);
  return user;
}

export async function listUsers(
  domain: UsersDomain,
  page: { limit: number; after?: string },
): Promise<{ items: StoredUser[]; next?: string }> {
  const { users, next } = await domain.store.list(page.limit, page.after);
  return next === undefined ? { items: users } : { items: users, next: encodeCursor(next) };
}

export async function updateProfile(domain: UsersDomain, id: string, fields: { display_name: string }): Promise<StoredUser> {
  if (!(await domain.store.update(id, fields))) throw new NotFoundError('the account of this token no longer exists');
  return getUser(domain, id);
}

export class InvalidCredentialsError extends AppError {
  override readonly name = 'InvalidCredentialsError';
  constructor() {
    super(401, 'invalid_credentials', 'the nickname or password is wrong');
  }
}

/**
 * Checks a nickname and password for the tokens app. An unknown nickname is checked
 * against a dummy hash, so it answers the same error in about the same time as a wrong password.
 */
export async function verifyCredentials(
  domain: UsersDomain,
  input: { nickname: string; password: string },
): Promise<{ id: string; nickname: string }> {
  const lower = nicknameKey(input.nickname);
  const found = lower === undefined ? undefined : await domain.store.findCredentials(lower);
  // An over-long password is refused before hashing whoever it names (no user is told apart).
  if (input.password.length > PASSWORD_MAX * 2) throw new InvalidCredentialsError();
  const matches = await domain.hashGate.run(async () =>
    verifyPassword(input.password, found?.password_hash ?? (await dummyHash(domain.hashParams))),
  );
  if (!found || !matches) throw new InvalidCredentialsError();
  return { id: found.id, nickname: found.nickname };
}
