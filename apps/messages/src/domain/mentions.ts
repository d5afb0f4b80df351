/**
 * `@nickname` mentions in a text. Nicknames are 3 to 32 letters, digits, `_` or `-`;
 * a mention must not be glued to a word before it (so "mail@example.org" is not one).
 * Returned lower-cased (NFKC, as nicknames are compared), each once, in order of first use,
 * at most `max` of them.
 */
const MENTION = /(?<![\p{L}\p{N}_-])@([\p{L}\p{N}_-]{3,32})(?![\p{L}\p{N}_-])/gu;

export function findMentions(text: string, max = Infinity): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    if (found.size >= max) break; // the first `max` distinct ones: a message is not a broadcast
    found.add(normaliseNickname(match[1] as string));
  }
  return [...found];
}

/** The form a nickname is counted under: NFKC, lower case. */
export function normaliseNickname(nickname: string): string {
  return nickname.normalize('NFKC').toLowerCase();
}
