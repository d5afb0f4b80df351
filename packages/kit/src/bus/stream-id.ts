/**
 * Redis stream ids, `<ms>-<seq>` with each part an unsigned 64-bit number: the ids of the
 * event bus and of the message log, the SSE `id:` push sends and the Last-Event-ID a
 * browser sends back. Parsed and ordered here only. This file imports nothing (no Node,
 * no Redis), so the browser client bundles it too, as `@bundle/kit/stream-id`.
 *
 * Parts pass 2^53, where a JavaScript number stops being exact (9007199254740993 reads as
 * ...992), so parts are compared as digit strings and parsed as BigInts, never as numbers.
 */

export interface StreamId {
  ms: bigint;
  seq: bigint;
}

const STREAM_ID = /^(\d{1,20})-(\d{1,20})$/;
/** What compareStreamIds orders: a stream id, or `<ms>` alone, which Redis reads as `<ms>-0` in a start id. */
const ORDERED = /^(\d{1,20})(?:-(\d{1,20}))?$/;
const MAX_PART = 2n ** 64n - 1n;

/** The two parts of a stream id, or undefined when it is not one (Redis refuses a part above 2^64 - 1). */
export function parseStreamId(value: string): StreamId | undefined {
  const match = STREAM_ID.exec(value);
  if (!match) return undefined;
  const ms = BigInt(match[1] as string);
  const seq = BigInt(match[2] as string);
  return ms <= MAX_PART && seq <= MAX_PART ? { ms, seq } : undefined;
}

/** True for a Redis stream id: what Last-Event-ID, ?after= and a message id must be. */
export function isStreamId(value: string): boolean {
  return parseStreamId(value) !== undefined;
}

/**
 * Orders two stream ids as Redis orders its entries: by time, then by sequence; negative,
 * zero or positive. `<ms>` alone counts as `<ms>-0` (how XRANGE and XREAD read a start
 * id: "0" is "before every entry"), and leading zeros do not count ("007-1" is "7-1").
 * Anything else throws a RangeError: an id of unknown shape has no place in the order.
 */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = orderedParts(a);
  const [bMs, bSeq] = orderedParts(b);
  return compareDigits(aMs, bMs) || compareDigits(aSeq, bSeq);
}

function orderedParts(id: string): [ms: string, seq: string] {
  const match = ORDERED.exec(id);
  if (!match) throw new RangeError(`not a stream id: ${JSON.stringify(id)}`);
  return [withoutLeadingZeros(match[1] as string), withoutLeadingZeros(match[2] ?? '0')];
}

function withoutLeadingZeros(digits: string): string {
  let start = 0;
  while (start < digits.length - 1 && digits.charCodeAt(start) === 48) start += 1;
  return start === 0 ? digits : digits.slice(start);
}

/** Two digit strings without leading zeros: the longer is the larger, else the first differing digit decides. */
function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
