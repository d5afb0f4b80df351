import { request, type IncomingHttpHeaders } from 'node:http';

/** What the chat streams besides presence. */
export const CONTENT_EVENTS = ['message.created', 'user.created'];

/** One thing read from an event stream: an event, a comment or a retry line. */
export interface SseItem {
  kind: 'event' | 'comment' | 'retry';
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
  retry?: number;
}

/**
 * A raw SSE reader over node:http for tests: records every item in order and lets a test
 * wait for the one it expects (no sleeping). Non-200 answers keep their JSON body.
 */
export class SseReader {
  readonly items: SseItem[] = [];
  status = 0;
  headers: IncomingHttpHeaders = {};
  body = '';
  readonly ended: Promise<void>;
  private buffer = '';
  private readonly counts = new Map<string, number>();
  private waiters: Array<() => void> = [];
  private destroy: () => void = () => undefined;
  private markEnded: () => void = () => undefined;

  private constructor() {
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const reader = new SseReader();
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
        reader.status = res.statusCode ?? 0;
        reader.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => reader.feed(chunk));
        res.on('close', () => reader.finish());
        if (reader.status === 200) resolve(reader);
        else res.on('end', () => resolve(reader));
      });
      req.on('error', (error) => (reader.status === 0 ? reject(error) : reader.finish()));
      reader.destroy = () => req.destroy();
      req.end();
    });
  }

  /** Parsed `data:` of every event so far with one of these names (presence events are left out by default). */
  events(
    names = CONTENT_EVENTS,
  ): Array<{ id: string; event: string; data: { name: string; time: string; payload: Record<string, unknown>; request_id?: string } }> {
    return this.items
      .filter((item) => item.kind === 'event' && names.includes(item.event ?? ''))
      .map((item) => ({ id: item.id ?? '', event: item.event ?? '', data: JSON.parse(item.data ?? 'null') }));
  }

  /** Resolves with the first item (already read or to come) that matches; rejects if the stream ends first. */
  waitFor(match: (item: SseItem) => boolean): Promise<SseItem> {
    return this.until(() => this.items.find(match));
  }

  /** Waits until `count` events with one of these names have arrived. */
  async waitForEvents(count: number, names = CONTENT_EVENTS): Promise<void> {
    await this.until(() => (names.reduce((sum, name) => sum + (this.counts.get(name) ?? 0), 0) >= count ? true : undefined));
  }

  /** Resolves with the condition's first defined value, checked now and after every chunk. */
  private until<T>(condition: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = condition();
        if (found !== undefined) resolve(found);
        return found !== undefined;
      };
      if (check()) return;
      const waiter = (): void => {
        if (check()) this.waiters = this.waiters.filter((other) => other !== waiter);
      };
      this.waiters.push(waiter);
      void this.ended.then(() => {
        if (!check()) reject(new Error(`stream ended before the expected item; read: ${JSON.stringify(this.items.slice(-5))}`));
      });
    });
  }

  close(): Promise<void> {
    this.destroy();
    return this.ended;
  }

  private feed(chunk: string): void {
    if (this.status !== 200) {
      this.body += chunk;
      return;
    }
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const item = parseBlock(block);
      this.items.push(item);
      if (item.kind === 'event') this.counts.set(item.event ?? '', (this.counts.get(item.event ?? '') ?? 0) + 1);
    }
    for (const waiter of [...this.waiters]) waiter();
  }

  private finish(): void {
    this.markEnded();
  }
}

function parseBlock(block: string): SseItem {
  const item: SseItem = { kind: 'event' };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) return { kind: 'comment', comment: line.slice(1).trim() };
    const colon = line.indexOf(':');
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, '');
    if (field === 'retry') return { kind: 'retry', retry: Number(value) };
    if (field === 'id') item.id = value;
    else if (field === 'event') item.event = value;
    else if (field === 'data') item.data = item.data === undefined ? value : `${item.data}\n${value}`;
  }
  return item;
}
