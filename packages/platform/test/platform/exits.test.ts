import { once } from 'node:events';
import { allocateTestDatabase } from '@bundle/kit/testing';
import { Instance, rollingPush, spaceStatus, type LogRecord } from '../../src';
import { freePort } from '../../src/local/ports';
import { fixtureSpace } from './helpers';

type Started = Awaited<ReturnType<typeof fixtureSpace>>;
let started: Started;

beforeAll(async () => {
  started = await fixtureSpace({ space: 'exits', redisUrl: await allocateTestDatabase() });
});
afterAll(async () => started?.stop());

const apiLines = (from: number): string[] =>
  started.logs
    .slice(from)
    .filter((record) => record.source === 'API/0')
    .map((record) => `${record.app} ${record.line}`);

describe('how an instance ended', () => {
  test('when the platform stops an instance while its readiness check is on its way and the app then exits 0, then the exit is a stop, not a crash', async () => {
    const app = started.space.manifest?.apps.find((candidate) => candidate.name === 'front');
    const web = app?.processes[0];
    if (!app || !web) throw new Error('no front app');
    const port = await freePort();
    let received: () => void = () => undefined;
    const checkReceived = new Promise<void>((resolve) => (received = resolve));
    // The app decides /ready's answer (200) when the request arrives and sends it 300 ms later, after the SIGTERM.
    const env = { ...(process.env as Record<string, string>), PORT: String(port), READY_DELAY_MS: '300' };
    const log = (record: LogRecord): void => void (record.line.includes('ready check received') && received());
    const instance = new Instance({ app, process: web, index: 9, port, version: 'x', env, log });
    const exit = once(instance, 'exit') as Promise<[number | null, string | null, boolean]>;
    instance.start();
    const ready = instance.waitUntilReady().then(
      () => 'ready',
      (error: Error) => error.message,
    );
    await checkReceived;
    await instance.stop(5000);
    expect(await exit).toEqual([0, null, true]);
    expect(await ready).toBe('front web instance 9 was stopped before it was ready');
    expect(instance.state).toBe('stopped');
  });

  test('when a rolling push replaces instances that exit 0 on SIGTERM, then each is logged as stopped, none as crashed, and no backoff is counted', async () => {
    const from = started.logs.length;
    await rollingPush(started.space, { version: '2.0.0', apps: ['api'] });
    const lines = apiLines(from);
    expect(lines.filter((line) => /stopped \(reason: STOPPED, exit_status: 0\)$/.test(line))).toEqual([
      'api web instance 0: stopped (reason: STOPPED, exit_status: 0)',
      'api web instance 1: stopped (reason: STOPPED, exit_status: 0)',
      'api worker instance 0: stopped (reason: STOPPED, exit_status: 0)',
    ]);
    expect(lines.filter((line) => line.includes('CRASHED'))).toEqual([]);
    const api = [...started.space.slots.values()].filter((slot) => slot.app.name === 'api');
    expect(api.map((slot) => [slot.crashes, slot.restarts])).toEqual(api.map(() => [0, 0]));
  });

  test('when an instance exits 0 on a SIGTERM the platform did not send, then it is a crash (Cloud Foundry restarts it) and status shows the exit', async () => {
    const slot = started.space.slots.get('deep/web/0');
    if (!slot) throw new Error('no deep instance');
    const restarted = started.waitForLog(/^deep \[API\/0\] web instance 0: restarted and ready/);
    const crashed = started.waitForLog(/^deep \[API\/0\] web instance 0: exited/);
    slot.instance.signal('SIGTERM');
    expect((await crashed).line).toBe('web instance 0: exited (reason: CRASHED, exit_status: 0); restarting now (crash 1)');
    await restarted;
    const detail = spaceStatus(started.space).apps.find((app) => app.name === 'deep')?.processes[0]?.details[0];
    expect([detail?.crashes, detail?.restarts, detail?.last_exit?.reason, detail?.last_exit?.exit_status]).toEqual([1, 1, 'CRASHED', 0]);
  });
});
