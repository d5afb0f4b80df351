import type { EventBus, Logger } from '@bundle/kit';
import type { MessageStore, StoredMessage } from '../store';
import type { Author, Message } from './message';

export const MESSAGE_CREATED = 'message.created';

/** The public shape: what the API answers and what `message.created` carries. */
export function toMessage(stored: StoredMessage): Message {
  return { id: stored.id, text: stored.text, author: stored.author, created_at: stored.created_at };
}

/** Publishes a stored message to the bus, then takes it out of the outbox. */
export async function publishMessage(store: MessageStore, bus: EventBus, stored: StoredMessage): Promise<void> {
  await bus.publish(MESSAGE_CREATED, toMessage(stored), stored.request_id || undefined);
  await store.markPublished(stored.id);
}

/**
 * Stores a message, then publishes it.
 *
 * The two live on different bindings (messages-db and event-bus), which may be different
 * servers, so they cannot be one transaction. The message log is the outbox instead: the
 * store records every new id as unpublished in the same atomic step as the append, and
 * the id is only cleared once the bus has the event. If publishing fails here the message
 * is stored and the caller still gets 201 (answering 503 would invite a retry that posts it
 * twice); the worker's outbox relay publishes it a few seconds later, with the original
 * request id. The price is at-least-once publication: if the clearing fails after the bus
 * took the event, the relay publishes it again, so consumers dedupe on the message id.
 */
export async function postMessage(
  store: MessageStore,
  bus: EventBus,
  log: Logger,
  text: string,
  author: Author,
  requestId: string,
): Promise<Message> {
  const stored = await store.append(text, author, requestId);
  try {
    await publishMessage(store, bus, stored);
  } catch (error) {
    log.warn(
      { err: { message: (error as Error).message }, message_id: stored.id },
      'message stored but not yet published; the outbox relay will publish it',
    );
  }
  return toMessage(stored);
}

export interface Page {
  items: Message[];
  /** The id of the last item (ask again with after=<next> for newer ones), or null for an empty page. */
  next: string | null;
  /** Present and true when retention removed messages after `after`: the page starts at the oldest kept. */
  trimmed?: true;
}

export async function listMessages(store: MessageStore, after: string | undefined, limit: number): Promise<Page> {
  const stored = after === undefined ? await store.latest(limit) : await store.after(after, limit);
  const items = stored.map(toMessage);
  const page: Page = { items, next: items.at(-1)?.id ?? null };
  // Reading from the very start ("0-0") asks for whatever is kept: no gap to report there.
  if (after !== undefined && after !== '0-0' && (await store.trimmedAfter(after))) page.trimmed = true;
  return page;
}
