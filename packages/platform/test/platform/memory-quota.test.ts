import { once } from 'node:events';
import { allocateTestDatabase } from '@bundle/kit/testing';
import { formatStatus, spaceStatus } from '../../src';
import { fixtureSpace, http } from './helpers';

type Started = Awaited<ReturnType<typeof fixtureSpace>>;
let started: Started;

beforeAll(async () => {
  started = await fixtureSpace({ space: 'memory-quota', redisUrl: await allocateTestDatabase(), memoryCheckIntervalMs: 200 });
});
afterAll(async () => started?.stop());

describe('the memory quota (manifest memory:)', () => {
  test('when an instance is under its quota, then status shows the sampled memory of its process tree and no note', async () => {
    // The next sample after start-up (one every 200 ms).
    await once(started.space, 'memory');
    const front = spaceStatus(started.space).apps.find((app) => app.name === 'front')?.processes[0]?.details[0];
    // Anonymous memory only: a bare node holds 8 MB or so; its binary's file pages are not counted.
    expect(started.space.slots.get('front/web/0')?.instance.memoryBytes).toBeGreaterThan(4 * 1024 * 1024);
    expect(front?.memory_quota_mb).toBe(64);
    expect(front?.memory_mb).toBeGreaterThan(4);
    expect(front?.memory_mb).toBeLessThan(64);
    expect(formatStatus(spaceStatus(started.space))).not.toMatch(/!/);
  });

  test('when an instance allocates past its quota, then it is killed, logged as out of memory, restarted, and status shows the last exit', async () => {
    const slot = started.space.slots.get('front/web/0');
    if (!slot) throw new Error('no front instance 0');
    const victim = slot.instance;
    const killed = started.waitForLog(/^front \[API\/0\] web instance 0: exceeded/);
    const exited = started.waitForLog(/^front \[API\/0\] web instance 0: exited/);
    const restarted = started.waitForLog(/^front \[API\/0\] web instance 0: restarted and ready/);
    // The answer may never come: a sample taken while the pages are being written can already see it over the quota.
    const hogging = http(victim.port, '/hog?mb=72').catch((error: Error) => error);
    expect((await killed).line).toMatch(/^web instance 0: exceeded its memory quota of 64M \((\d+) MB, file pages not counted\): killed$/);
    const rss = Number(/\((\d+) MB/.exec((await killed).line)?.[1]);
    expect(rss).toBeGreaterThan(64);
    expect((await exited).line).toBe(
      'web instance 0: exited (reason: CRASHED, exit_description: out of memory, exit_status: SIGKILL); restarting now (crash 1)',
    );
    await restarted;
    await hogging;
    expect(victim.alive).toBe(false);
    const detail = spaceStatus(started.space).apps.find((app) => app.name === 'front')?.processes[0]?.details[0];
    expect([
      detail?.state,
      detail?.restarts,
      detail?.last_exit?.reason,
      detail?.last_exit?.description,
      detail?.last_exit?.exit_status,
    ]).toEqual(['running', 1, 'CRASHED', 'out of memory', 'SIGKILL']);
    expect(formatStatus(spaceStatus(started.space))).toMatch(/\n {6}! last exit CRASHED \(out of memory, exit_status SIGKILL\) at \S+\n/);
  });
});
