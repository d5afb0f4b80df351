/**
 * The live stream (GET /api/events) through EventSource. On a dropped connection the
 * browser reconnects by itself and sends Last-Event-ID, so push replays what was missed.
 * When EventSource gives up (an HTTP error such as 401 or 503), this asks the page
 * whether the session is still good, then opens a new stream after a growing pause.
 */
import { eventsUrl } from './api';
import { eventPayload, toAuthor, toMessage, type Author, type Message } from './model';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

export interface LiveHandlers {
  onState(state: LiveState): void;
  /** Every (re)open: the page reloads history to cover anything a fresh stream cannot replay. */
  onOpen(): void;
  onMessage(message: Message): void;
  onPresence(event: 'user.online' | 'user.offline', user: Author): void;
  /** The stream was refused; resolve false to stop (the session is over). */
  shouldReconnect(): Promise<boolean>;
}

export interface Live {
  close(): void;
}

const MAX_PAUSE_MS = 30_000;

export function openLive(token: string, handlers: LiveHandlers): Live {
  let source: EventSource | undefined;
  let timer: number | undefined;
  let closed = false;
  let failures = 0;

  const connect = (): void => {
    handlers.onState(failures === 0 ? 'connecting' : 'reconnecting');
    const current = new EventSource(eventsUrl(token));
    source = current;
    current.addEventListener('open', () => {
      failures = 0;
      handlers.onState('live');
      handlers.onOpen();
    });
    current.addEventListener('message.created', (event) => {
      const message = toMessage(eventPayload((event as MessageEvent<string>).data));
      if (message) handlers.onMessage(message);
    });
    for (const name of ['user.online', 'user.offline'] as const) {
      current.addEventListener(name, (event) => {
        const user = toAuthor(eventPayload((event as MessageEvent<string>).data));
        if (user) handlers.onPresence(name, user);
      });
    }
    current.addEventListener('error', () => {
      if (closed) return;
      if (current.readyState === EventSource.CONNECTING) {
        handlers.onState('reconnecting'); // the browser retries on its own, with Last-Event-ID
        return;
      }
      current.close();
      handlers.onState('reconnecting');
      failures += 1;
      const pause = Math.min(MAX_PAUSE_MS, 1000 * 2 ** Math.min(failures - 1, 5)) * (0.5 + Math.random() / 2);
      void handlers.shouldReconnect().then((again) => {
        if (again && !closed) timer = window.setTimeout(connect, pause);
      });
    });
  };

  connect();
  return {
    close() {
      closed = true;
      window.clearTimeout(timer);
      source?.close();
    },
  };
}
