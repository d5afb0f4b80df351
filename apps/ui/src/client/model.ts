/**
 * The client's state changes and view models as pure functions: no DOM, no network,
 * so they run (and are tested) in Node as well as in the browser.
 */
import { compareStreamIds, isStreamId } from '@bundle/kit/stream-id';
import type { Author, Message } from './api-types';

export interface MessageView {
  id: string;
  author: string;
  initial: string;
  /** One of AVATAR_COLOURS avatar classes, stable per author. */
  avatar: number;
  time: string;
  datetime: string;
  text: string;
  mine: boolean;
}

export const AVATAR_COLOURS = 8;
export const MAX_MESSAGE_LENGTH = 2000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A user as the API or the event stream sends it, or undefined when it is not one. */
export function toAuthor(value: unknown): Author | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.nickname !== 'string') return undefined;
  return { id: value.id, nickname: value.nickname };
}

/**
 * A message from the API or the stream, or undefined: the server is trusted for shape, not
 * for content. What the client relies on is checked (an id it can order, the text, the
 * author); the other fields of the document's Message come along as sent.
 */
export function toMessage(value: unknown): Message | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || !isStreamId(value.id) || typeof value.text !== 'string') return undefined;
  const author = toAuthor(value.author);
  if (!author) return undefined;
  return { ...value, id: value.id, text: value.text, author, created_at: typeof value.created_at === 'string' ? value.created_at : '' };
}

/**
 * The payload of an SSE `data:` line. Push may send the bare payload or the whole bus
 * event ({id, name, time, payload}); both are accepted.
 */
export function eventPayload(data: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  return isRecord(parsed) && isRecord(parsed.payload) ? parsed.payload : parsed;
}

/**
 * Where a message goes in a list sorted by id: its index, or -1 when it is already there
 * (a message I post arrives both in the 201 and on the stream; history and stream overlap).
 */
export function insertionIndex(sortedIds: readonly string[], id: string): number {
  let low = 0;
  let high = sortedIds.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = compareStreamIds(sortedIds[middle] as string, id);
    if (order === 0) return -1;
    if (order < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Merges messages into a sorted, duplicate-free list; returns a new list and what was added. */
export function mergeMessages(
  existing: readonly Message[],
  incoming: readonly Message[],
  limit = 500,
): { messages: Message[]; added: Message[] } {
  const messages = [...existing];
  const ids = messages.map((message) => message.id);
  const added: Message[] = [];
  for (const message of incoming) {
    const index = insertionIndex(ids, message.id);
    if (index === -1) continue;
    messages.splice(index, 0, message);
    ids.splice(index, 0, message.id);
    added.push(message);
  }
  // A long-open tab keeps only the newest messages in memory and on the page.
  return { messages: messages.length > limit ? messages.slice(messages.length - limit) : messages, added };
}

/** The people online, sorted by nickname, after a user.online or user.offline event. */
export function updatePresence(online: readonly Author[], event: 'user.online' | 'user.offline', user: Author): Author[] {
  const others = online.filter((person) => person.id !== user.id);
  const next = event === 'user.online' ? [...others, user] : others;
  return next.sort((a, b) => a.nickname.localeCompare(b.nickname, undefined, { sensitivity: 'base' }));
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** "14:05" today, "Yesterday 14:05", "3 Nov 14:05" this year, "3 Nov 2025 14:05" before. Local time. */
export function formatTime(iso: string, now: Date): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  const startOfDay = (day: Date) => new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime();
  const days = Math.round((startOfDay(now) - startOfDay(date)) / 86_400_000);
  if (days === 0) return clock;
  if (days === 1) return `Yesterday ${clock}`;
  const dayMonth = `${date.getDate()} ${MONTHS[date.getMonth()]}`;
  return date.getFullYear() === now.getFullYear() ? `${dayMonth} ${clock}` : `${dayMonth} ${date.getFullYear()} ${clock}`;
}

/** A small stable number per author, so each person keeps one avatar colour. */
export function avatarIndex(key: string): number {
  let hash = 0;
  for (let i = 0; i < key.length; i += 1) hash = (hash * 31 + key.charCodeAt(i)) >>> 0;
  return hash % AVATAR_COLOURS;
}

export function initialOf(nickname: string): string {
  const first = Array.from(nickname.trim())[0];
  return first ? first.toUpperCase() : '?';
}

/** What the page shows for one message; every field is plain text, set with textContent. */
export function messageView(message: Message, me: Author | undefined, now: Date): MessageView {
  return {
    id: message.id,
    author: message.author.nickname,
    initial: initialOf(message.author.nickname),
    avatar: avatarIndex(message.author.id),
    time: formatTime(message.created_at, now),
    datetime: message.created_at,
    text: message.text,
    mine: me !== undefined && message.author.id === me.id,
  };
}

/** What the composer would send, or why it cannot be sent yet. */
export function checkDraft(draft: string): { ok: true; text: string } | { ok: false; reason: string } {
  const text = draft.trim();
  if (text === '') return { ok: false, reason: 'Write something first.' };
  if (Array.from(text).length > MAX_MESSAGE_LENGTH) return { ok: false, reason: `Messages are at most ${MAX_MESSAGE_LENGTH} characters.` };
  return { ok: true, text };
}

/** "12 / 2000" near the limit, nothing before: the counter only appears when it matters. */
export function remainingLabel(draft: string): string {
  const length = Array.from(draft.trim()).length;
  return length >= MAX_MESSAGE_LENGTH * 0.9 ? `${length} / ${MAX_MESSAGE_LENGTH}` : '';
}

/** Messages from one author within five minutes read as one block: the later ones hide the name. */
export function continuesFrom(previous: Message | undefined, message: Message): boolean {
  if (!previous || previous.author.id !== message.author.id) return false;
  const gap = new Date(message.created_at).getTime() - new Date(previous.created_at).getTime();
  return Number.isFinite(gap) && gap >= 0 && gap < 5 * 60_000;
}
