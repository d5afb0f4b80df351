/**
 * The page: signed out it offers log in and registration; signed in it shows the
 * conversation, who is online and a composer, kept live by the event stream.
 */
import './app.css';
import * as api from './api';
import { renderOnline } from './dom';
import { openLive, type Live, type LiveState } from './live';
import { createMessageList } from './message-list';
import type { Author } from './api-types';
import { checkDraft, remainingLabel, updatePresence } from './model';
import { clearSession, hasExpired, loadSession, saveSession } from './session';

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as T;
}

const ui = {
  app: byId('app'),
  account: byId('account'),
  currentUser: byId('current-user'),
  logout: byId<HTMLButtonElement>('logout'),
  onlineToggle: byId<HTMLButtonElement>('online-toggle'),
  onlineCount: byId('online-count'),
  onlineTitleCount: byId('online-title-count'),
  onlineList: byId('online-list'),
  signedOut: byId('signed-out'),
  signedIn: byId('signed-in'),
  notice: byId('notice'),
  authNoticeSlot: byId('auth-notice-slot'),
  chatNoticeSlot: byId('chat-notice-slot'),
  loginForm: byId<HTMLFormElement>('login-form'),
  registerForm: byId<HTMLFormElement>('register-form'),
  connection: byId('connection'),
  messages: byId<HTMLOListElement>('messages'),
  empty: byId('empty'),
  jump: byId<HTMLButtonElement>('jump-latest'),
  announcer: byId('announcer'),
  composer: byId<HTMLFormElement>('composer'),
  input: byId<HTMLTextAreaElement>('composer-input'),
  send: byId<HTMLButtonElement>('send'),
  counter: byId('composer-counter'),
};

let session: api.Session | undefined;
let online: Author[] = [];
let live: Live | undefined;
let expiryTimer: number | undefined;

// ---- notices: one area, in the form being used, for errors and confirmations ----

function showNotice(text: string, kind: 'error' | 'info' = 'error'): void {
  ui.notice.textContent = text;
  ui.notice.className = `notice notice--${kind}`;
  ui.notice.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  ui.notice.hidden = false;
}

function clearNotice(): void {
  ui.notice.hidden = true;
  ui.notice.textContent = '';
}

function describe(error: unknown): string {
  return error instanceof api.ApiError ? error.message : 'Something went wrong. Please try again.';
}

// ---- views ----

function showSignedOut(): void {
  ui.app.dataset.state = 'signed-out';
  ui.signedIn.hidden = true;
  ui.account.hidden = true;
  ui.signedOut.hidden = false;
  ui.authNoticeSlot.append(ui.notice);
  document.title = 'Chat';
}

function showSignedIn(user: Author): void {
  ui.app.dataset.state = 'signed-in';
  ui.signedOut.hidden = true;
  ui.signedIn.hidden = false;
  ui.account.hidden = false;
  ui.currentUser.textContent = user.nickname;
  ui.chatNoticeSlot.append(ui.notice);
  document.title = `Chat · ${user.nickname}`;
  ui.input.focus();
}

// ---- messages ----

const conversation = createMessageList({ list: ui.messages, empty: ui.empty, jump: ui.jump, announcer: ui.announcer }, () => session?.user);

async function loadHistory(): Promise<void> {
  if (!session) return;
  const token = session.token;
  try {
    const history = await api.listMessages(token, 50);
    if (session?.token === token) conversation.add(history, 'history');
  } catch (error) {
    handleFailure(error);
  }
}

// ---- presence and connection ----

function setOnline(next: Author[]): void {
  online = next;
  renderOnline(ui.onlineList, online, session?.user);
  ui.onlineCount.textContent = String(online.length);
  ui.onlineTitleCount.textContent = String(online.length);
}

const CONNECTION_LABELS: Record<LiveState, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };

function setConnection(state: LiveState): void {
  ui.connection.dataset.state = state;
  ui.connection.textContent = CONNECTION_LABELS[state];
}

// ---- session ----

/** A 401 while signed in means the token expired or was revoked: back to the login form. */
function handleFailure(error: unknown): void {
  if (error instanceof api.ApiError && error.status === 401 && session) {
    endSession('Your session has ended. Please log in again.');
    return;
  }
  showNotice(describe(error));
}

function startSession(next: api.Session): void {
  session = next;
  saveSession(window.sessionStorage, next);
  conversation.clear();
  setOnline([next.user]);
  clearNotice();
  showSignedIn(next.user);
  window.clearTimeout(expiryTimer);
  expiryTimer = window.setTimeout(
    () => endSession('Your session has expired. Please log in again.'),
    Math.max(0, next.expiresAt - Date.now()),
  );
  void loadHistory();
  live = openLive(next.token, {
    onState: setConnection,
    onOpen: () => {
      if (session) setOnline(updatePresence(online, 'user.online', session.user));
      void loadHistory();
    },
    onMessage: (message) => conversation.add([message], 'live'),
    onPresence: (event, user) => setOnline(updatePresence(online, event, user)),
    onHistoryReload: () => void loadHistory(),
    // Push refused the stream (401): its token was revoked (logged out elsewhere) or expired.
    shouldReconnect: async () => {
      if (!session) return false;
      if (hasExpired(session)) {
        endSession('Your session has expired. Please log in again.');
        return false;
      }
      try {
        await api.listMessages(session.token, 1);
        return true;
      } catch (error) {
        if (error instanceof api.ApiError && error.status === 401) {
          handleFailure(error);
          return false;
        }
        return true; // the service is down for now: keep trying
      }
    },
  });
}

function endSession(notice?: string, kind: 'error' | 'info' = 'error'): void {
  live?.close();
  live = undefined;
  session = undefined;
  window.clearTimeout(expiryTimer);
  clearSession(window.sessionStorage);
  conversation.clear();
  setOnline([]);
  ui.app.classList.remove('show-online');
  ui.onlineToggle.setAttribute('aria-expanded', 'false');
  showSignedOut();
  if (notice) showNotice(notice, kind);
  else clearNotice();
  ui.loginForm.reset();
  ui.registerForm.reset();
  byId<HTMLInputElement>('login-nickname').focus();
}

// ---- forms ----

function fieldValue(form: HTMLFormElement, name: string): string {
  const field = form.elements.namedItem(name);
  return field instanceof HTMLInputElement ? field.value : '';
}

/** Runs a form's action with its button disabled, showing the API's message on failure. */
async function submitting(form: HTMLFormElement, action: () => Promise<void>): Promise<void> {
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (button) button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  clearNotice();
  try {
    await action();
  } catch (error) {
    showNotice(describe(error));
  } finally {
    if (button) button.disabled = false;
    form.removeAttribute('aria-busy');
  }
}

ui.loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const nickname = fieldValue(ui.loginForm, 'nickname').trim();
  const password = fieldValue(ui.loginForm, 'password');
  void submitting(ui.loginForm, async () => startSession(await api.logIn(nickname, password)));
});

ui.registerForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const nickname = fieldValue(ui.registerForm, 'nickname').trim();
  const password = fieldValue(ui.registerForm, 'password');
  void submitting(ui.registerForm, async () => {
    await api.register(nickname, password);
    startSession(await api.logIn(nickname, password));
  });
});

ui.logout.addEventListener('click', () => {
  const token = session?.token;
  ui.logout.disabled = true;
  // Revoke on the server first; even if that fails, this tab forgets the token.
  void (token ? api.logOut(token) : Promise.resolve())
    .then(
      () => endSession('You are logged out.', 'info'),
      () => endSession('You are logged out here, but the server could not be told. The session ends when it expires.', 'info'),
    )
    .finally(() => {
      ui.logout.disabled = false;
    });
});

async function send(): Promise<void> {
  if (!session || ui.send.disabled) return;
  const draft = checkDraft(ui.input.value);
  if (!draft.ok) {
    showNotice(draft.reason);
    ui.input.focus();
    return;
  }
  const token = session.token;
  ui.send.disabled = true;
  clearNotice();
  try {
    const message = await api.postMessage(token, draft.text);
    ui.input.value = '';
    updateComposer();
    if (message) conversation.add([message], 'mine');
  } catch (error) {
    handleFailure(error);
  } finally {
    ui.send.disabled = false;
    if (session) ui.input.focus();
  }
}

function updateComposer(): void {
  ui.counter.textContent = remainingLabel(ui.input.value);
  // Grow with the text up to a few lines, then scroll inside the box.
  ui.input.style.height = 'auto';
  ui.input.style.height = `${Math.min(ui.input.scrollHeight, 160)}px`;
}

ui.composer.addEventListener('submit', (event) => {
  event.preventDefault();
  void send();
});

ui.input.addEventListener('keydown', (event) => {
  // Enter sends, Shift+Enter starts a new line; never while an IME is composing.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    void send();
  }
});
ui.input.addEventListener('input', () => {
  updateComposer();
  if (!ui.notice.hidden && ui.notice.classList.contains('notice--error')) clearNotice(); // typing answers "write something first"
});

ui.onlineToggle.addEventListener('click', () => {
  const open = ui.app.classList.toggle('show-online');
  ui.onlineToggle.setAttribute('aria-expanded', String(open));
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && ui.app.classList.contains('show-online')) {
    ui.app.classList.remove('show-online');
    ui.onlineToggle.setAttribute('aria-expanded', 'false');
    ui.onlineToggle.focus();
  }
});

// ---- start ----

const saved = loadSession(window.sessionStorage);
if (saved) startSession(saved);
else endSession();
ui.app.removeAttribute('aria-busy');
