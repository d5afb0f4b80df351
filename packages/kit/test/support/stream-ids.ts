import fc from 'fast-check';

const MAX_PART = 2n ** 64n - 1n;

/** A part of a stream id: the edges (0, around 2^53 where numbers stop being exact, 2^63, 2^64 - 1), small values, any value. */
export const idPart = fc.oneof(
  fc.constantFrom(0n, 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, MAX_PART - 1n, MAX_PART),
  fc.bigInt({ min: 0n, max: 20n }),
  fc.bigInt({ min: 0n, max: MAX_PART }),
);

/** A stream id as written (with up to two leading zeros per part, as Redis accepts them), and the numbers it stands for. */
export const streamId = fc
  .record({ ms: idPart, seq: idPart, msZeros: fc.nat(2), seqZeros: fc.nat(2) })
  .map(({ ms, seq, msZeros, seqZeros }) => {
    const pad = (value: bigint, zeros: number) => `${'0'.repeat(Math.min(zeros, 20 - String(value).length))}${value}`;
    return { text: `${pad(ms, msZeros)}-${pad(seq, seqZeros)}`, ms, seq };
  });

/** How Redis orders two ids: by time, then by sequence. The model the comparison is checked against. */
export function modelOrder(a: { ms: bigint; seq: bigint }, b: { ms: bigint; seq: bigint }): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  return a.seq === b.seq ? 0 : a.seq < b.seq ? -1 : 1;
}
