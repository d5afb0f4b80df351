/**
 * The live stream (GET /api/events), read with fetch so the token travels in the
 * Authorization header: EventSource can only put it in the URL, and URLs are logged by
 * every router on the way. The stream is parsed by eventsource-parser. Each reconnect
 * sends Last-Event-ID with the last id seen, so push replays what was missed in between.
 *
 * A stream ends when the server closes it (its token was revoked or expired, or the
 * instance is draining) or the network drops: the client reconnects after the server's
 * `retry:` pause, growing (with jitter) while attempts keep failing. A 401 asks the page
 * whether the session is still good (it ends it when not); a 429 or 503 waits the
 * server's Retry-After.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describeFailure } from './api';
import type { Author, Message } from './api-types';
import { eventPayload, toAuthor, toMessage } from './model';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

export interface LiveHandlers {
  onState(state: LiveState): void;
  /** Every (re)open: the page reloads history to cover anything a fresh stream cannot replay. */
  onOpen(): void;
  onMessage(message: Message): void;
  onPresence(event: 'user.online' | 'user.offline', user: Author): void;
  /** The client was further behind than push replays (history.reload): the page reloads its history. */
  onHistoryReload(): void;
  /** The stream was refused (401); resolve false to stop (the session is over). */
  shouldReconnect(): Promise<boolean>;
}

export interface Live {
  close(): void;
}

export const EVENTS_PATH = '/api/events';
const DEFAULT_RETRY_MS = 2000;
const MAX_PAUSE_MS = 30_000;

/** The request that opens the stream: the token in a header, never in the URL. */
export function streamRequest(token: string, lastEventId: string | undefined): { url: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { Accept: 'text/event-stream', Authorization: `Bearer ${token}` };
  if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
  return { url: EVENTS_PATH, headers };
}

/**
 * How long to wait before attempt `failures` + 1: the server's retry pause after a clean
 * end (failures 0), doubling per failed attempt up to 30 s, always times 0.5 to 1 so that
 * the clients of an instance that ends every stream at once (a drain) do not all come
 * back in the same instant. A Retry-After wins when given.
 */
export function reconnectDelay(failures: number, retryMs: number, retryAfterSeconds?: number, random = Math.random()): number {
  if (retryAfterSeconds !== undefined) return retryAfterSeconds * 1000;
  const base = Math.min(MAX_PAUSE_MS, retryMs * 2 ** Math.min(Math.max(failures - 1, 0), 5));
  return Math.round(base * (0.5 + random / 2));
}

/** Hands one event of the stream to its handler; events the page does not know are ignored. */
export function handleEvent(event: EventSourceMessage, handlers: Pick<LiveHandlers, 'onMessage' | 'onPresence' | 'onHistoryReload'>): void {
  if (event.event === 'message.created') {
    const message = toMessage(eventPayload(event.data));
    if (message) handlers.onMessage(message);
  } else if (event.event === 'user.online' || event.event === 'user.offline') {
    const user = toAuthor(eventPayload(event.data));
    if (user) handlers.onPresence(event.event, user);
  } else if (event.event === 'history.reload') {
    handlers.onHistoryReload();
  }
}

export function openLive(token: string, handlers: LiveHandlers): Live {
  let closed = false;
  let failures = 0;
  let retryMs = DEFAULT_RETRY_MS;
  let lastEventId: string | undefined;
  let timer: number | undefined;
  let abort: AbortController | undefined;

  const dispatch = (event: EventSourceMessage): void => {
    if (event.id !== undefined && event.id !== '') lastEventId = event.id;
    handleEvent(event, handlers);
  };

  const later = (retryAfterSeconds?: number): void => {
    if (closed) return;
    handlers.onState('reconnecting');
    timer = window.setTimeout(connect, reconnectDelay(failures, retryMs, retryAfterSeconds));
  };

  /** One attempt: resolves when the stream ends, however it ends. */
  const attempt = async (): Promise<void> => {
    abort = new AbortController();
    const { url, headers } = streamRequest(token, lastEventId);
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: abort.signal, cache: 'no-store', credentials: 'same-origin' });
    } catch {
      failures += 1;
      return later();
    }
    if (!response.ok || response.body === null) {
      const body: unknown = await response.json().catch(() => undefined);
      const failure = describeFailure(response.status, body, response.headers.get('Retry-After'));
      failures += 1;
      if (response.status === 401) {
        // Revoked or expired: the page decides whether this session goes on.
        if (await handlers.shouldReconnect()) later();
        return;
      }
      return later(failure.retryAfter);
    }
    failures = 0;
    handlers.onState('live');
    handlers.onOpen();
    const parser = createParser({ onEvent: dispatch, onRetry: (ms) => (retryMs = ms) });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // the connection dropped mid-stream: reconnect below, from the last id seen
    }
    later();
  };

  function connect(): void {
    if (closed) return;
    handlers.onState(failures === 0 && lastEventId === undefined ? 'connecting' : 'reconnecting');
    void attempt();
  }

  connect();
  return {
    close() {
      closed = true;
      window.clearTimeout(timer);
      abort?.abort();
    },
  };
}
