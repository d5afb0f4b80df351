/**
 * Nicknames nobody may register: names people take for the service speaking (an "admin"
 * or "support" writing to you), addresses RFC 2142 keeps for operators, and the words a
 * chat uses to mention many people at once (@everyone, @here). A short list on purpose:
 * it is the set every reader recognises, not every word an impostor could try.
 * Compared without case, "_" and "-", so "Ad_Min" and "-root-" are the same name.
 */
export const RESERVED_NICKNAMES: ReadonlySet<string> = new Set([
  // The service and its operators.
  'admin',
  'administrator',
  'root',
  'superuser',
  'sysadmin',
  'system',
  'moderator',
  'staff',
  'support',
  'helpdesk',
  'official',
  'security',
  'operator',
  // RFC 2142 mailbox names, and what mail and web hosts answer as.
  'abuse',
  'postmaster',
  'hostmaster',
  'webmaster',
  'noreply',
  'info',
  // Mentions of many people at once.
  'everyone',
  'here',
  'channel',
  'all',
  // Words that read as no one, or as the service's own parts.
  'anonymous',
  'nobody',
  'null',
  'undefined',
  'chat',
  'api',
  'www',
]);

/** The form names are compared in: lower case, without "_" and "-". */
export const reservedForm = (lower: string): string => lower.replace(/[-_]/g, '');

export function isReservedNickname(lower: string): boolean {
  return RESERVED_NICKNAMES.has(reservedForm(lower));
}
