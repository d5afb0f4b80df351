import { EventSource } from 'eventsource';

/** The push app's event names (apps/push/src/domain/sse.ts STREAMED_EVENTS). */
const EVENT_NAMES = ['message.created', 'user.created', 'user.online', 'user.offline'];

/** One Server-Sent Event as received: `id:`, `event:` and the parsed `data:`. */
export interface ReceivedEvent {
  id: string;
  name: string;
  data: { name: string; time: string; payload: Record<string, unknown>; request_id?: string };
}

/**
 * GET /api/events through the `eventsource` package, the token in the Authorization
 * header through the package's `fetch` option (push refuses a token in the URL). Every event is kept in arrival order; waitFor()
 * resolves on the first that matches, whenever it arrived. `opens` counts connections,
 * so a test can tell that the package did not silently reconnect in between.
 */
export class EventStream {
  readonly events: ReceivedEvent[] = [];
  opens = 0;
  private readonly source: EventSource;
  private readonly listeners = new Set<() => void>();
  private status: number | undefined;

  private constructor(pushUrl: string, token: string, lastEventId?: string) {
    this.source = new EventSource(`${pushUrl}/api/events`, {
      // A fresh EventSource has no Last-Event-ID: the first request carries the one
      // given; the package's own reconnects send theirs.
      fetch: async (input, init) => {
        const headers: Record<string, string> = { ...init.headers, Authorization: `Bearer ${token}` };
        if (lastEventId !== undefined && headers['Last-Event-ID'] === undefined) headers['Last-Event-ID'] = lastEventId;
        const response = await fetch(input, { ...init, headers });
        this.status = response.status;
        return response;
      },
    });
    for (const name of EVENT_NAMES) {
      this.source.addEventListener(name, (message) => {
        this.events.push({ id: message.lastEventId, name, data: JSON.parse(message.data) as ReceivedEvent['data'] });
        for (const listener of [...this.listeners]) listener();
      });
    }
  }

  /** Opens a stream; resolves once the push app answered 200, rejects on any other answer. */
  static open(pushUrl: string, token: string, options: { lastEventId?: string; timeoutMs?: number } = {}): Promise<EventStream> {
    const stream = new EventStream(pushUrl, token, options.lastEventId);
    const { source } = stream;
    return new Promise((resolve, reject) => {
      const fail = (reason: string): void => {
        clearTimeout(timer);
        source.close();
        reject(new Error(`GET /api/events: ${reason}`));
      };
      const timer = setTimeout(
        () => fail(`not open within ${options.timeoutMs ?? 10_000} ms (status ${stream.status ?? 'none'})`),
        options.timeoutMs ?? 10_000,
      );
      source.onopen = () => {
        stream.opens += 1;
        if (stream.opens === 1) {
          clearTimeout(timer);
          resolve(stream);
        }
      };
      source.onerror = (error) => {
        if (stream.opens === 0 && stream.status !== undefined && stream.status !== 200)
          fail(`HTTP ${stream.status} ${error.message ?? ''}`);
      };
    });
  }

  /** The events of one name, in arrival order. */
  named(name: string): ReceivedEvent[] {
    return this.events.filter((event) => event.name === name);
  }

  /** Resolves with the first event (already received or still to come) that matches. */
  waitFor(expected: string, predicate: (event: ReceivedEvent) => boolean, timeoutMs = 10_000): Promise<ReceivedEvent> {
    return new Promise((resolve, reject) => {
      const look = (): void => {
        const found = this.events.find(predicate);
        if (!found) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        const got = this.events.map((event) => `${event.name} ${event.id}`).join(', ') || 'nothing';
        reject(new Error(`expected ${expected} within ${timeoutMs} ms; received: ${got}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(look);
      };
      this.listeners.add(look);
      look();
    });
  }

  close(): void {
    this.source.close();
  }
}
