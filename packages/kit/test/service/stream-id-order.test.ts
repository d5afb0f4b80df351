import fc from 'fast-check';
import Redis from 'ioredis';
import { compareStreamIds } from '../../src/bus/stream-id';
import { allocateTestDatabase } from '../../src/testing/test-redis';
import { streamId } from '../support/stream-ids';

/** "(<max id>" has nothing after it; Redis calls that an invalid interval. */
function noneAfterTheLastId(error: Error): [] {
  if (!error.message.includes('invalid start ID')) throw error;
  return [];
}

/**
 * compareStreamIds against Redis itself: XADD takes an explicit id only when it is greater
 * than the stream's last one, so appending ids in the order the comparison sorts them must
 * be accepted exactly where the comparison says "greater" and refused where it says "equal".
 * Both orders are total, so agreeing on every neighbour of a sorted list is agreeing on every pair.
 */
describe('compareStreamIds and Redis', () => {
  let redis: Redis;
  let run = 0;
  beforeAll(async () => {
    redis = new Redis(await allocateTestDatabase(), { maxRetriesPerRequest: 1 });
  });
  afterAll(() => redis.quit());

  /** XADD each id in turn: true when Redis took it, false when it said the id is not after the stream's top. */
  async function appendAll(stream: string, ids: string[]): Promise<boolean[]> {
    const accepted: boolean[] = [];
    for (const id of ids) {
      try {
        await redis.xadd(stream, id, 'n', '1');
        accepted.push(true);
      } catch (error) {
        if (!/equal or smaller than the target stream top item/.test((error as Error).message)) throw error;
        accepted.push(false);
      }
    }
    return accepted;
  }

  test('when ids sorted by compareStreamIds are appended in that order, then Redis takes each one the comparison calls greater and refuses each one it calls equal', async () => {
    // 0-0 is the one id XADD never takes ("must be greater than 0-0"), whatever came before it.
    const ids = fc.array(
      streamId.filter((id) => id.ms !== 0n || id.seq !== 0n),
      { minLength: 1, maxLength: 25 },
    );
    await fc.assert(
      fc.asyncProperty(ids, async (generated) => {
        const sorted = generated.map((id) => id.text).sort(compareStreamIds);
        const expected = sorted.map((id, i) => i === 0 || compareStreamIds(sorted[i - 1] as string, id) < 0);
        const stream = `stream-order:${(run += 1)}`;
        const accepted = await appendAll(stream, sorted);
        const stored = ((await redis.xrange(stream, '-', '+')) as [string, string[]][]).map(([id]) => id);
        await redis.del(stream);
        expect({ accepted, stored }).toEqual({
          accepted: expected,
          // Redis answers with the canonical form (no leading zeros) of each id it took, in its order.
          stored: sorted.filter((_, i) => expected[i]).map((id) => id.split('-').map(BigInt).join('-')),
        });
      }),
      { numRuns: 150 },
    );
  });

  test('when XRANGE starts after an id, then it returns exactly the stored ids compareStreamIds puts after it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(streamId, { minLength: 1, maxLength: 15, selector: (id) => `${id.ms}-${id.seq}` }),
        streamId,
        async (generated, cut) => {
          const sorted = generated
            .filter((id) => id.ms !== 0n || id.seq !== 0n)
            .map((id) => id.text)
            .sort(compareStreamIds);
          const stream = `stream-range:${(run += 1)}`;
          await appendAll(stream, sorted);
          const after = ((await redis.xrange(stream, `(${cut.text}`, '+').catch(noneAfterTheLastId)) as [string, string[]][]).map(
            ([id]) => id,
          );
          await redis.del(stream);
          expect(after).toEqual(sorted.filter((id) => compareStreamIds(id, cut.text) > 0).map((id) => id.split('-').map(BigInt).join('-')));
        },
      ),
      { numRuns: 150 },
    );
  });
});
