/**
 * The conversation on the page: keeps the sorted, de-duplicated messages and their list
 * items in step, follows the newest message while the reader is at the bottom, offers a
 * "new messages" button when they have scrolled up, and announces others' messages.
 */
import { renderMessage } from './dom';
import type { Author, Message } from './api-types';
import { continuesFrom, mergeMessages, messageView } from './model';

export interface MessageListElements {
  list: HTMLOListElement;
  empty: HTMLElement;
  jump: HTMLButtonElement;
  announcer: HTMLElement;
}

export type MessageSource = 'history' | 'live' | 'mine';

export interface MessageList {
  add(incoming: Message[], source: MessageSource): void;
  clear(): void;
}

export function createMessageList(ui: MessageListElements, me: () => Author | undefined): MessageList {
  let messages: Message[] = [];
  let unseen = 0;
  const nodes = new Map<string, HTMLLIElement>();

  const isNearBottom = (): boolean => ui.list.scrollHeight - ui.list.scrollTop - ui.list.clientHeight < 80;

  const scrollToLatest = (): void => {
    ui.list.scrollTop = ui.list.scrollHeight;
    unseen = 0;
    ui.jump.hidden = true;
  };

  /** Moves only nodes that are new or gone, so reading position and focus survive updates. */
  const sync = (): void => {
    const now = new Date();
    const keep = new Set(messages.map((message) => message.id));
    for (const [id, node] of nodes) {
      if (!keep.has(id)) {
        node.remove();
        nodes.delete(id);
      }
    }
    messages.forEach((message, index) => {
      const continued = continuesFrom(messages[index - 1], message);
      let node = nodes.get(message.id);
      if (!node) {
        node = renderMessage(messageView(message, me(), now), continued);
        nodes.set(message.id, node);
      }
      node.classList.toggle('message--continued', continued);
      if (ui.list.children[index] !== node) ui.list.insertBefore(node, ui.list.children[index] ?? null);
    });
    ui.empty.hidden = messages.length > 0;
  };

  ui.list.addEventListener('scroll', () => {
    if (isNearBottom()) {
      unseen = 0;
      ui.jump.hidden = true;
    }
  });
  ui.jump.addEventListener('click', scrollToLatest);

  return {
    add(incoming, source) {
      const follow = isNearBottom();
      const merged = mergeMessages(messages, incoming);
      if (merged.added.length === 0) return;
      messages = merged.messages;
      sync();
      if (source === 'live') {
        const fromOthers = merged.added.filter((message) => message.author.id !== me()?.id);
        const last = fromOthers[fromOthers.length - 1];
        if (last) ui.announcer.textContent = `${last.author.nickname}: ${last.text}`;
      }
      if (follow || source === 'mine') {
        scrollToLatest();
      } else if (source === 'live') {
        unseen += merged.added.length;
        ui.jump.textContent = unseen === 1 ? '1 new message ↓' : `${unseen} new messages ↓`;
        ui.jump.hidden = false;
      }
    },
    clear() {
      messages = [];
      nodes.clear();
      unseen = 0;
      ui.list.replaceChildren();
      ui.jump.hidden = true;
      ui.empty.hidden = false;
      ui.announcer.textContent = '';
    },
  };
}
