import { allocateTestDatabase } from '@bundle/kit/testing';
import { checkedSpaceStatus, formatStatus, spaceStatus } from '../../src';
import { fixtureSpace, http } from './helpers';

type Started = Awaited<ReturnType<typeof fixtureSpace>>;
let started: Started;

beforeAll(async () => {
  started = await fixtureSpace({ space: 'status', redisUrl: await allocateTestDatabase() });
});
afterAll(async () => started?.stop());

const detail = (app: string, index: number) =>
  spaceStatus(started.space).apps.find((candidate) => candidate.name === app)?.processes[0]?.details[index];

describe('scripts/status says what needs a look', () => {
  test("when an instance's /ready fails, then the log and status give the reason its /ready gave (the backing service)", async () => {
    const instance = started.space.slots.get('front/web/1')?.instance;
    if (!instance) throw new Error('no front instance 1');
    const out = started.waitForLog(/^front \[API\/0\] web instance 1: readiness check failed/);
    await http(instance.port, '/unready');
    expect((await out).line).toBe('web instance 1: readiness check failed (users-db: error: made unready by the test): out of rotation');
    expect([detail('front', 1)?.ready, detail('front', 1)?.unready_reason]).toEqual([false, 'users-db: error: made unready by the test']);
    expect(formatStatus(spaceStatus(started.space))).toMatch(
      /\n#1 +running +no .*\n {6}! not ready: users-db: error: made unready by the test\n/,
    );
  });

  test('when an instance crashes again soon after its restart, then status shows a crash loop with its last exit and the wait before the next restart', async () => {
    const first = started.waitForLog(/^deep \[API\/0\] web instance 0: restarted and ready .*\(restart 1\)/);
    started.space.slots.get('deep/web/0')?.instance.signal('SIGKILL');
    await first;
    const second = started.waitForLog(/^deep \[API\/0\] web instance 0: exited/);
    const restarted = started.waitForLog(/^deep \[API\/0\] web instance 0: restarted and ready .*\(restart 2\)/);
    started.space.slots.get('deep/web/0')?.instance.signal('SIGKILL');
    expect((await second).line).toMatch(/restarting in 1 s \(crash 2\)$/);
    // The restart is a second away: status now shows the loop.
    expect([detail('deep', 0)?.state, detail('deep', 0)?.pid, detail('deep', 0)?.crashes, detail('deep', 0)?.next]).toEqual([
      'crashed',
      undefined,
      2,
      'restarting in 1 s (crash 2)',
    ]);
    expect(formatStatus(spaceStatus(started.space))).toMatch(
      /\n {6}! crash loop: crash 2, last exit CRASHED \(exited, exit_status SIGKILL\) at \S+; restarting in 1 s \(crash 2\)(\n|$)/,
    );
    await restarted;
  });

  test('when the space uses REDIS_URL, then status says whether that Redis answers', async () => {
    const answering = await checkedSpaceStatus(started.space);
    expect([answering.redis_server, answering.redis_check]).toEqual([undefined, 'answers']);
    const gone = await fixtureSpace({ space: 'status-gone', redisUrl: 'redis://127.0.0.1:1' });
    try {
      const status = await checkedSpaceStatus(gone.space);
      expect(status.redis_check).toBe('not answering (connect ECONNREFUSED 127.0.0.1:1)');
      expect(formatStatus(status)).toMatch(
        /^redis: REDIS_URL redis:\/\/127\.0\.0\.1:1\/?\n {7}NOT ANSWERING \(connect ECONNREFUSED 127\.0\.0\.1:1\)\n/m,
      );
    } finally {
      await gone.stop();
    }
  });
});
