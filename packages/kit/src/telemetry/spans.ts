import type { BusEvent } from '../bus/entry';
import { activeTelemetry } from './hooks';

/**
 * Spans for work that no request starts: a consumer handling a bus event, a pass over many.
 * Without telemetry each is a plain call of fn. The bus entry's traceparent (written by the
 * request that published it) ties the work to that request's trace.
 */

const BUS_ATTRIBUTES = { 'messaging.system': 'redis', 'messaging.operation.type': 'process' } as const;

/** Handling one bus event (e.g. the messages worker counting mentions): a child of the span that published it. */
export function inEventSpan<T>(event: BusEvent, fn: () => T): T {
  const tracing = activeTelemetry()?.tracing;
  if (!tracing) return fn();
  return tracing.consumerSpan(
    `process ${event.name}`,
    event.traceparent,
    { ...BUS_ATTRIBUTES, 'messaging.message.id': event.id, ...(event.request_id ? { request_id: event.request_id } : {}) },
    fn,
  );
}

/**
 * One pass of a batch of bus events to many receivers (push writing to every open stream):
 * linked to the span that published each event, and a child of the first one's, so a lone
 * event's delivery sits in its request's trace.
 */
export function inDeliverySpan<T>(events: BusEvent[], attributes: Record<string, string | number>, fn: () => T): T {
  const tracing = activeTelemetry()?.tracing;
  if (!tracing) return fn();
  const names = [...new Set(events.map((event) => event.name))].sort().join(',');
  const traceparents = events.flatMap((event) => (event.traceparent ? [event.traceparent] : []));
  return tracing.batchSpan(
    `deliver ${names}`,
    traceparents,
    { ...BUS_ATTRIBUTES, 'messaging.batch.message_count': events.length, ...attributes },
    fn,
  );
}
