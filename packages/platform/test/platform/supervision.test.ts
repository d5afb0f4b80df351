import { allocateTestDatabase } from '@bundle/kit/testing';
import { rollingPush } from '../../src';
import { fixtureSpace, http, load } from './helpers';

jest.setTimeout(120_000);

type Started = Awaited<ReturnType<typeof fixtureSpace>>;
let started: Started;

beforeAll(async () => {
  started = await fixtureSpace({ space: 'supervision', redisUrl: await allocateTestDatabase() });
});
afterAll(async () => started?.stop());

const CONCURRENCY = 8;
const report = (what: string, result: { ok: number; failed: number }): void =>
  void process.stdout.write(`${what}: ${result.ok} ok, ${result.failed} failed\n`);

describe('supervision', () => {
  test('when an instance is killed with SIGKILL under load, then it is restarted and the router stops sending to it; only requests in flight at the kill may fail', async () => {
    const victim = started.space.slots.get('front/web/0')?.instance;
    if (!victim) throw new Error('no front instance 0');
    const restarted = started.waitForLog(/^front \[API\/0\] web instance 0: restarted and ready/);
    const flowing = started.waitForLog(/^front \[RTR\/0\]/);
    const result = load(started.port, '/', restarted, { concurrency: CONCURRENCY });
    await flowing;
    victim.signal('SIGKILL');
    await restarted;
    const counts = await result;
    report('SIGKILL under load', counts);
    expect(counts.failed).toBeLessThanOrEqual(CONCURRENCY);
    expect(counts.ok).toBeGreaterThan(0);

    const fresh = started.space.slots.get('front/web/0')?.instance;
    expect(fresh).toBeDefined();
    expect(fresh?.id).not.toBe(victim.id);
    // Requests reach the running instances only (ports, not the victim's: a new instance may
    // be given the port the dead one had, and then that port is rightly routed to).
    const running = [...started.space.slots.values()]
      .filter((slot) => slot.instance.app.name === 'front')
      .map((slot) => slot.instance.port);
    const after = new Set<number>();
    for (let i = 0; i < 10; i += 1) after.add((await http(started.port, '/')).json<{ port: number }>().port);
    expect([...after].sort()).toEqual([...running].sort());
    expect(after.size).toBe(2);
    expect(started.space.slots.get('front/web/0')?.restarts).toBe(1);
  });

  test('when a new version is pushed under steady load (GET and POST), then zero requests fail and every instance runs the new version', async () => {
    const before = [...started.space.slots.values()].map((slot) => slot.instance.id);
    const pushing = rollingPush(started.space, { version: '2.0.0' });
    const [gets, posts] = await Promise.all([
      load(started.port, '/api/x', pushing, { concurrency: CONCURRENCY }),
      load(started.port, '/', pushing, { concurrency: 4, method: 'POST' }),
    ]);
    const result = await pushing;
    report('rolling push under load (GET)', gets);
    report('rolling push under load (POST)', posts);
    expect([gets.failed, posts.failed, gets.errors]).toEqual([0, 0, []]);
    expect(gets.ok).toBeGreaterThan(CONCURRENCY);
    expect(result.steps).toHaveLength(6);
    const after = [...started.space.slots.values()];
    expect(after.map((slot) => slot.instance.version)).toEqual(after.map(() => '2.0.0'));
    expect(after.some((slot) => before.includes(slot.instance.id))).toBe(false);
    const versions = new Set<string>();
    for (let i = 0; i < 6; i += 1) versions.add((await http(started.port, '/api/x')).json<{ version: string }>().version);
    expect([...versions]).toEqual(['2.0.0']);
  });

  test('when the new build cannot start, then the push stops with one line and the old instances keep serving without a failed request', async () => {
    const pushing = rollingPush(started.space, { version: '3.0.0', vars: { fail_start: '1' } });
    const outcome = pushing.then(
      () => 'pushed',
      (error: Error) => error.message,
    );
    const counts = await load(started.port, '/', outcome, { concurrency: CONCURRENCY });
    report('failed push under load', counts);
    expect(await outcome).toMatch(
      /^push stopped: front web instance 0 exited \(code 1\) before it was ready: FAIL_START=1: this build cannot start; the running instances keep serving$/,
    );
    expect([counts.failed, [...counts.versions]]).toEqual([0, ['2.0.0']]);
    expect(started.space.pushing).toBe(false);
  });

  test('when a push is asked for an app the manifest does not have, then it is refused and nothing changes', async () => {
    await expect(rollingPush(started.space, { apps: ['nope'] })).rejects.toThrow(/no app named nope$/);
  });
});
