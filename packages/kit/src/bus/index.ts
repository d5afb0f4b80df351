export {
  BUS_BINDING,
  DEFAULT_MAX_LENGTH,
  DEFAULT_STREAM,
  createEventBus,
  type BusBatch,
  type EventBus,
  type EventBusOptions,
} from './event-bus';
export { busEntryContext, busEntryFields, parseEntries, type BusEvent, type StreamEntry } from './entry';
export { compareStreamIds, isStreamId, parseStreamId, type StreamId } from './stream-id';
