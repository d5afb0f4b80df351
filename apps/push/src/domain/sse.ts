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

/**
 * Sent instead of a replay that would reach further back than the cap: the client has
 * missed more than a stream replays, and reloads its history (GET /api/messages). Its id is
 * where the stream goes on from, so a reconnect after it resumes from there.
 */
export function historyReload(resumeFrom: string, maxReplayEvents: number): string {
  const data = { name: HISTORY_RELOAD, time: new Date().toISOString(), payload: { max_replay_events: maxReplayEvents } };
  return `id: ${resumeFrom}\nevent: ${HISTORY_RELOAD}\ndata: ${JSON.stringify(data)}\n\n`;
}
export const HISTORY_RELOAD = 'history.reload';

/** How long the browser waits before reconnecting, sent once when a stream opens. */
export const RETRY_MS = 2000;
export const RETRY_LINE = `retry: ${RETRY_MS}\n\n`;

/** A comment line: ignored by EventSource, but it keeps routers from closing an idle stream. */
export const HEARTBEAT = ': ping\n\n';

/** The events the push app streams; anything else on the bus stays server-side. */
export const STREAMED_EVENTS = new Set(['message.created', 'user.created', 'user.online', 'user.offline']);
