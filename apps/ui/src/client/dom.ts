/**
 * Builds DOM from view models with createElement and textContent only. User data never
 * passes through innerHTML or any other HTML parser, so a message like "<img onerror>"
 * is shown as the text it is.
 */
import type { Author } from './api-types';
import type { MessageView } from './model';

type Attributes = Record<string, string | boolean | undefined>;

/** createElement with attributes and children; strings become text nodes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return node;
}

/** One message: avatar, author, time and text (text keeps its line breaks through CSS, not markup). */
export function renderMessage(view: MessageView, continued: boolean): HTMLLIElement {
  const classes = ['message', view.mine ? 'message--mine' : '', continued ? 'message--continued' : ''].filter(Boolean).join(' ');
  return el(
    'li',
    { class: classes, 'data-testid': 'message', 'data-id': view.id },
    el('span', { class: `avatar avatar--${view.avatar}`, 'aria-hidden': 'true' }, view.initial),
    el(
      'div',
      { class: 'message-body' },
      el(
        'p',
        { class: 'message-meta' },
        el('span', { class: 'message-author', 'data-testid': 'message-author' }, view.author),
        ' ',
        el('time', { datetime: view.datetime }, view.time),
      ),
      el('p', { class: 'message-text', 'data-testid': 'message-text' }, view.text),
    ),
  );
}

/** The people online, one item each, me marked as "you". */
export function renderOnline(list: HTMLElement, online: readonly Author[], me: Author | undefined): void {
  list.replaceChildren(
    ...online.map((person) =>
      el(
        'li',
        { class: 'online-user', 'data-testid': 'online-user', 'data-id': person.id },
        el('span', { class: 'presence-dot', 'aria-hidden': 'true' }),
        el('span', { class: 'online-name' }, person.nickname),
        person.id === me?.id ? el('span', { class: 'online-you' }, '(you)') : '',
      ),
    ),
  );
}
