import { ValidationError } from '@bundle/kit';
import { isReservedNickname } from './reserved-names';

export const NICKNAME_MIN = 3;
export const NICKNAME_MAX = 32;
/**
 * ASCII letters only, after NFKC: NFKC folds compatibility forms (fullwidth "ａｌｉｃｅ",
 * ligatures, superscripts) to ASCII, but it does not fold cross-script look-alikes
 * (Cyrillic "а" for Latin "a"). Refusing every non-ASCII letter closes that hole too.
 */
const NICKNAME = /^[A-Za-z0-9_-]+$/;
/** NFKC can grow a string; anything this long cannot become a valid nickname anyway. */
const RAW_LIMIT = NICKNAME_MAX * 4;

export interface Nickname {
  /** As stored and shown: the NFKC form of what was sent. */
  display: string;
  /** The uniqueness key: two nicknames are the same when these are equal. */
  lower: string;
}

/** Normalises a nickname (NFKC, then lowercase for comparison) and checks its shape. */
export function parseNickname(value: unknown): Nickname {
  if (value === undefined) throw new ValidationError('nickname is required', 'nickname');
  if (typeof value !== 'string') throw new ValidationError('nickname must be a string', 'nickname');
  if (value.length > RAW_LIMIT) throw new ValidationError(`nickname must be at most ${NICKNAME_MAX} characters`, 'nickname');
  const display = value.normalize('NFKC');
  if (display.length < NICKNAME_MIN || display.length > NICKNAME_MAX) {
    throw new ValidationError(`nickname must be ${NICKNAME_MIN} to ${NICKNAME_MAX} characters`, 'nickname');
  }
  if (!NICKNAME.test(display)) throw new ValidationError('nickname may only hold letters a-z, digits, "_" and "-"', 'nickname');
  return { display, lower: display.toLowerCase() };
}

/** A letter or a digit: "---" and "_-_" name nobody a person could tell apart. */
const LETTER_OR_DIGIT = /[A-Za-z0-9]/;

/**
 * A nickname someone asks to register: a valid shape (parseNickname), with a letter or a
 * digit, and none of the reserved names (reserved-names.ts). Only registration asks this:
 * an account made before a name was reserved still logs in and is still found.
 */
export function parseNewNickname(value: unknown): Nickname {
  const nickname = parseNickname(value);
  if (!LETTER_OR_DIGIT.test(nickname.display)) throw new ValidationError('nickname must hold a letter or a digit', 'nickname');
  if (isReservedNickname(nickname.lower)) throw new ValidationError(`nickname "${nickname.display}" is reserved`, 'nickname');
  return nickname;
}

/** The lookup key for a nickname given at login, or undefined when it cannot name any user. */
export function nicknameKey(value: string): string | undefined {
  try {
    return parseNickname(value).lower;
  } catch {
    return undefined;
  }
}
