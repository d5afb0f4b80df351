import { currentTrace, outgoingTraceparent } from '../trace';

/**
 * One entry of the event bus, as every producer writes it and every consumer reads it:
 *   name         what happened, e.g. "message.created"
 *   time         when it was published, ISO 8601
 *   payload      JSON
 *   request_id   the request that caused it (when one did)
 *   traceparent  a W3C traceparent in that request's trace (when one did)
 * Built here only: a producer in JavaScript calls busEntryFields; a Lua script that
 * decides the name and payload itself (push's presence) takes busEntryContext as an
 * argument and appends it.
 */
export interface BusEvent<P = Record<string, unknown>> {
  /** The stream id, e.g. "1700000000000-0". */
  id: string;
  /** What happened, e.g. "message.created". */
  name: string;
  /** When it was published, ISO 8601. */
  time: string;
  payload: P;
  request_id?: string;
  /** The W3C traceparent of the request that published it (same trace id), for a consumer to continue the trace. */
  traceparent?: string;
}

/** One entry as XRANGE, XREAD and XAUTOCLAIM return it. */
export type StreamEntry = [id: string, fields: string[]];

/**
 * The fields that tie an entry to the request it comes from: `request_id` and `traceparent`,
 * each only when known. Inside a request, the request id (when not given) and the trace
 * come from its trace (AsyncLocalStorage); outside one, a given request id alone.
 */
export function busEntryContext(requestId?: string): string[] {
  const fields: string[] = [];
  const trace = currentTrace();
  const id = requestId ?? trace?.requestId;
  if (id) fields.push('request_id', id);
  if (trace) fields.push('traceparent', outgoingTraceparent(trace));
  return fields;
}

/** The fields of one bus entry, as every producer writes them (XADD ... * <fields>). */
export function busEntryFields(name: string, payload: object, requestId?: string): string[] {
  return ['name', name, 'time', new Date().toISOString(), 'payload', JSON.stringify(payload), ...busEntryContext(requestId)];
}

/** Turns XRANGE/XREAD entries into events; an entry that is not ours is skipped, not fatal. */
export function parseEntries(entries: StreamEntry[]): BusEvent[] {
  const events: BusEvent[] = [];
  for (const [id, fields] of entries) {
    const record: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i] as string] = fields[i + 1] as string;
    if (!record.name || record.payload === undefined) continue;
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(record.payload) as Record<string, unknown>;
    } catch {
      continue;
    }
    const event: BusEvent = { id, name: record.name, time: record.time ?? '', payload };
    if (record.request_id) event.request_id = record.request_id;
    if (record.traceparent) event.traceparent = record.traceparent;
    events.push(event);
  }
  return events;
}
