import type { BusEvent } from '@bundle/kit';

/**
 * The Server-Sent Events wire format. Every event carries the bus stream id as `id:`, so
 * the browser sends it back as Last-Event-ID when it reconnects. JSON.stringify never
 * emits a raw newline, so `data:` is always one line.
 */
export function formatEvent(event: BusEvent): string {
  const data: Record<string, unknown> = { name: event.name, time: event.time, payload: event.payload };
  if (event.request_id) data.request_id = event.request_id;
  return `id: ${event.id}\nevent: ${event.name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** How long the browser waits before reconnecting, sent once when a stream opens. */
export const RETRY_MS = 2000;
export const RETRY_LINE = `retry: ${RETRY_MS}\n\n`;

/** A comment line: ignored by EventSource, but it keeps routers from closing an idle stream. */
export const HEARTBEAT = ': ping\n\n';

/** The events the push app streams; anything else on the bus stays server-side. */
export const STREAMED_EVENTS = new Set(['message.created', 'user.created', 'user.online', 'user.offline']);

/** Orders two stream ids ("<ms>-<seq>") numerically: negative, zero or positive. */
export function compareIds(a: string, b: string): number {
  const [aMs = '0', aSeq = '0'] = a.split('-');
  const [bMs = '0', bSeq = '0'] = b.split('-');
  return compareDigits(aMs, bMs) || compareDigits(aSeq, bSeq);
}

function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}
