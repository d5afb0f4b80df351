import { rollingPush } from '../../src';
import { http, manifestAppNames, only, REFERENCE_APPS } from './helpers';
import { signUp, startRealSpace, type RealSpace } from './real-space';
import { describeLoad, steadyLoad, type RequestKind } from './steady-load';

// The real manifest (built apps, two instances of each web app) under a steady load
// through the router, while instances are killed and pushed. Counts, never timings.

let real: RealSpace;
let token: string;

beforeAll(async () => {
  real = await startRealSpace('platform-load');
  token = await signUp(real.port, 'load');
});
afterAll(async () => real?.stop());

const json = { 'content-type': 'application/json' };
let posted = 0;
const postMessage = (): RequestKind => ({
  name: 'POST /api/messages',
  weight: 1,
  path: '/api/messages',
  method: 'POST',
  headers: { ...json, authorization: `Bearer ${token}` },
  body: () => JSON.stringify({ text: `under load ${(posted += 1)}` }),
});
const listMessages = (weight: number): RequestKind => ({
  name: 'GET /api/messages',
  weight,
  path: '/api/messages?limit=5',
  headers: { authorization: `Bearer ${token}` },
});

/** Ports the router sent requests to since log line `from`, with the status of each answer. */
function routedTo(from: number, app: string): Array<{ port: number; status: number }> {
  return real.logs
    .slice(from)
    .filter((record) => record.source === 'RTR/0' && record.app === app)
    .map((record) => ({
      port: Number(/"127\.0\.0\.1:(\d+)" x_forwarded_for/.exec(record.line)?.[1]),
      status: Number(/HTTP\/1\.1" (\d{3}) /.exec(record.line)?.[1]),
    }));
}

describe('the real manifest under load', () => {
  test('when an instance of messages is killed with SIGKILL under load, then it is restarted, the router stops sending to it, and only requests it was answering fail', async () => {
    const slot = real.space.slots.get('messages/web/0');
    if (!slot) throw new Error('no messages web instance 0');
    const victim = slot.instance;
    const logFrom = real.logs.length;
    const restarted = real.waitForLog(/^messages \[API\/0\] web instance 0: restarted and ready on port \d+ \(restart 1\)/);
    const flowing = real.waitForLog(/^messages \[RTR\/0\] .* 20[01] /);
    const MAX_IN_FLIGHT = 32;
    const loading = steadyLoad(real.port, [listMessages(4), postMessage()], restarted, {
      rate: 100,
      maxInFlight: MAX_IN_FLIGHT,
      max: 30_000,
    });
    await flowing;
    const inFlightAtKill = real.space.router?.inFlight(victim.id) ?? 0;
    victim.signal('SIGKILL');
    await restarted;
    const counts = await loading;
    const failed = counts.total.failed + counts.total.broken;
    process.stdout.write(
      `${describeLoad('SIGKILL of messages/web/0 under load', counts)}\n  requests in flight to it at the kill: ${inFlightAtKill}; failed: ${failed}\n`,
    );

    // The only failures are the killed instance's own (5xx through the router, never a broken connection).
    const failures = routedTo(logFrom, 'messages').filter((line) => line.status >= 500);
    expect(failures.map((line) => line.port)).toEqual(failures.map(() => victim.port));
    expect([counts.total.broken, counts.total.rejected, counts.total.failed]).toEqual([0, 0, failures.length]);
    expect(failed).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expect(counts.total.ok).toBeGreaterThan(0);

    // Restarted in its slot on a new port; once it is back, nothing goes to the dead one.
    const fresh = real.space.slots.get('messages/web/0');
    expect([fresh?.restarts, fresh?.instance.ready, fresh?.instance.port === victim.port]).toEqual([1, true, false]);
    const afterFrom = real.logs.length;
    for (let i = 0; i < 20; i += 1)
      expect((await http(real.port, '/api/messages?limit=1', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const ports = new Set(routedTo(afterFrom, 'messages').map((line) => line.port));
    expect(ports.has(victim.port)).toBe(false);
    expect(ports.size).toBe(2);
  });

  test('when an instance keeps crashing, then each restart waits longer (at once, then 1 s, 2 s...)', async () => {
    const slot = real.space.slots.get('messages/web/1');
    if (!slot) throw new Error('no messages web instance 1');
    const first = real.waitForLog(/^messages \[API\/0\] web instance 1: restarted and ready .*\(restart 1\)/);
    slot.instance.signal('SIGKILL');
    expect(await real.waitForLog(/^messages \[API\/0\] web instance 1: exited \(reason: CRASHED/)).toMatch(/restarting now \(crash 1\)$/);
    await first;
    const second = real.waitForLog(/^messages \[API\/0\] web instance 1: restarted and ready .*\(restart 2\)/);
    real.space.slots.get('messages/web/1')?.instance.signal('SIGKILL');
    expect(await real.waitForLog(/^messages \[API\/0\] web instance 1: exited .*crash 2\)$/)).toMatch(
      /^messages \[API\/0\] web instance 1: exited \(reason: CRASHED, exit_status: SIGKILL\); restarting in 1 s \(crash 2\)$/,
    );
    await second;
    expect(real.space.slots.get('messages/web/1')?.instance.ready).toBe(true);
  });

  test('when every app is pushed under a steady load of 200 requests/s, then zero requests fail and every app runs the new version', async () => {
    // The instances themselves, not their ports: a new instance may be given a port an old one let go.
    const before = new Set([...real.space.slots.values()].map((slot) => slot.instance));
    const pushing = rollingPush(real.space, { version: '0.2.0-load' });
    const kinds: RequestKind[] = [
      { name: 'GET / (ui)', weight: 5, path: '/' },
      { name: 'GET /api/users', weight: 5, path: '/api/users?limit=5', headers: { authorization: `Bearer ${token}` } },
      { name: 'GET /.well-known/jwks.json', weight: 4, path: '/.well-known/jwks.json' },
      listMessages(4),
      { ...postMessage(), weight: 2 },
    ];
    const counts = await steadyLoad(real.port, kinds, pushing, { rate: 200, maxInFlight: 64, max: 60_000 });
    const result = await pushing;
    process.stdout.write(
      `${describeLoad(`rolling push of every app (${result.steps.length} instances in ${(result.ms / 1000).toFixed(1)} s)`, counts)}\n`,
    );

    expect([counts.total.failed, counts.total.broken, counts.total.rejected, counts.samples]).toEqual([0, 0, 0, []]);
    expect(counts.total.ok).toBe(counts.total.sent);
    expect(counts.total.sent).toBeGreaterThan(200);
    expect(result.apps).toEqual(manifestAppNames());
    expect(only(result.apps, REFERENCE_APPS)).toEqual(REFERENCE_APPS);
    const slots = [...real.space.slots.values()];
    // Every instance the manifest asks for runs the new version: the reference chat's
    // eleven, and those of any other app of the manifest.
    const wanted = (real.space.manifest?.apps ?? []).flatMap((app) =>
      app.processes.flatMap((process) => Array.from({ length: process.instances }, (_, index) => `${app.name}/${process.type}/${index}`)),
    );
    expect(wanted).toEqual(
      expect.arrayContaining([
        'messages/web/0',
        'messages/web/1',
        'messages/worker/0',
        'push/web/0',
        'push/web/1',
        'tokens/web/0',
        'tokens/web/1',
        'ui/web/0',
        'ui/web/1',
        'users/web/0',
        'users/web/1',
      ]),
    );
    expect(slots.map((slot) => `${slot.app.name}/${slot.process.type}/${slot.index} ${slot.instance.version}`).sort()).toEqual(
      wanted.sort().map((key) => `${key} 0.2.0-load`),
    );
    expect(slots.filter((slot) => before.has(slot.instance)).map((slot) => `${slot.app.name}/${slot.process.type}/${slot.index}`)).toEqual(
      [],
    );
    // Every app says so itself, through its own route, from both instances.
    for (const app of manifestAppNames()) {
      const versions = new Set<string>();
      for (let i = 0; i < 4; i += 1)
        versions.add(
          (await http(real.port, '/version', { headers: { host: `chat-${app}.localhost` } })).json<{ version: string }>().version,
        );
      expect([app, ...versions]).toEqual([app, '0.2.0-load']);
    }
  }, 300_000);
});
