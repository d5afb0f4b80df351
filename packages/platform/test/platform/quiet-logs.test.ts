import Redis from 'ioredis';
import { filterLogs, levelOf, requestIdOf, type LogRecord, type Space } from '../../src';
import { http } from './helpers';
import { startRealSpace, type RealSpace } from './real-space';

jest.setTimeout(180_000);

let real: RealSpace;
let space: Space;
let logs: LogRecord[];

// The real manifest, one instance per web app, its own redis-server (so the test can pause
// it), and probes every 100 ms: a minute of a person's idling is many rounds here.
beforeAll(async () => {
  real = await startRealSpace('quiet-logs', {
    env: { ...process.env, REDIS_URL: '' },
    vars: { web_instances: 1 },
    checkIntervalSeconds: 0.1,
  });
  ({ space, logs } = real);
});
afterAll(async () => {
  const redisPid = space?.provisioned?.redisPid;
  if (redisPid !== undefined) process.kill(redisPid, 'SIGCONT');
  await real?.stop();
});

const web = () => [...space.slots.values()].filter((slot) => slot.process.type === 'web');
const json = (record: LogRecord): Record<string, unknown> | undefined =>
  record.line.startsWith('{') ? (JSON.parse(record.line) as Record<string, unknown>) : undefined;
/** An access line of a platform probe at info or above: what must not be. */
const infoProbeLines = () => logs.filter((record) => ['/health', '/ready'].includes(String(json(record)?.path)) && levelOf(record) >= 30);
/** Lines that say something about readiness: the apps' change lines and the platform's rotation lines. */
const readinessLines = (from: number) =>
  logs
    .slice(from)
    .filter((record) => json(record)?.readiness !== undefined || (record.source.startsWith('API') && /readiness/.test(record.line)))
    .map((record) => `${record.app} ${json(record)?.msg ?? record.line}`)
    .sort();

/** How many /ready probes an instance has answered (its own /metrics, asked on its port like the platform does). */
async function readyProbes(port: number): Promise<number> {
  const text = (await http(port, '/metrics')).body;
  return [...text.matchAll(/^http_request_duration_seconds_count\{[^}]*route="\/ready"[^}]*\} (\d+)$/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

/** Waits until every web instance answered `rounds` more probes (polling, no fixed sleep). */
async function probeRounds(rounds: number): Promise<void> {
  const ports = web().map((slot) => slot.instance.port);
  const start = await Promise.all(ports.map(readyProbes));
  for (;;) {
    const now = await Promise.all(ports.map(readyProbes));
    if (now.every((count, index) => count >= (start[index] ?? 0) + rounds)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a started space, idle and in trouble', () => {
  test('when it idles through many probe rounds, then nothing is logged: no probe answer is an info line', async () => {
    const from = logs.length;
    await probeRounds(30);
    // Only the test's own /metrics requests (a scraper's, real requests) are logged.
    const others = logs.slice(from).filter((record) => json(record)?.path !== '/metrics');
    expect([others.map((record) => `${record.app} [${record.source}] ${record.line}`), infoProbeLines()]).toEqual([[], []]);
  });

  test('when its Redis stops answering and comes back, then exactly one line per app and one per platform says each change of readiness', async () => {
    const redisPid = space.provisioned?.redisPid;
    expect(redisPid).toBeDefined();
    const from = logs.length;
    const affected = web().filter((slot) => slot.app.name !== 'ui');
    process.kill(redisPid as number, 'SIGSTOP');
    try {
      await Promise.all(
        affected.map((slot) => real.waitForLog(new RegExp(`^${slot.app.name} \\[API/0\\] web instance 0: readiness check failed`))),
      );
      await probeRounds(5);
    } finally {
      process.kill(redisPid as number, 'SIGCONT');
    }
    await Promise.all(
      affected.map((slot) => real.waitForLog(new RegExp(`^${slot.app.name} \\[API/0\\] web instance 0: readiness check passes again`))),
    );
    await probeRounds(10);
    const expected = affected.flatMap((slot) => [
      `${slot.app.name} web instance 0: readiness check failed: out of rotation`,
      `${slot.app.name} web instance 0: readiness check passes again: back in rotation`,
      `${slot.app.name} ready again`,
    ]);
    // The platform's line carries the reason the check gave ("readiness check failed (event-bus:
    // timeout): out of rotation"), which depends on which check timed out first.
    const lines = readinessLines(from).map((line) =>
      line.replace(/^(\S+ web instance 0: readiness check failed) \([^)]+\)(: out of rotation)$/, '$1$2'),
    );
    // The app names what failed ("not ready: unavailable: users-db, event-bus"): one line per app.
    expect(lines.filter((line) => !/ not ready: unavailable: /.test(line))).toEqual(expected.sort());
    expect(lines.filter((line) => / not ready: unavailable: /.test(line)).map((line) => line.split(' ')[0])).toEqual(
      affected.map((slot) => slot.app.name).sort(),
    );
    expect(infoProbeLines()).toEqual([]);
  });
});

describe('following one request', () => {
  test("when a login goes through the router to tokens and on to users' internal route, then its request id finds the router's line and each app's line, in time order", async () => {
    const nickname = `req${Date.now().toString(36)}`;
    const password = 'correct horse battery staple';
    expect(
      (
        await http(real.port, '/api/users', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ nickname, password }),
        })
      ).status,
    ).toBe(201);
    const login = await http(real.port, '/api/tokens', {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${nickname}:${password}`).toString('base64')}` },
    });
    expect(login.status).toBe(200);
    const requestId = String(login.headers['x-request-id']);
    await Promise.all([
      real.waitForLog(new RegExp(`^tokens \\[APP/PROC/WEB/0\\] .*"request_id":"${requestId}"`)),
      real.waitForLog(new RegExp(`^users \\[APP/PROC/WEB/0\\] .*"request_id":"${requestId}"`)),
    ]);
    const found = filterLogs(logs, { requestId });
    const described = found.map(
      (record) => `${record.app} ${record.source.split('/')[0]} ${String(json(record)?.path ?? /"[A-Z]+ (\S+)/.exec(record.line)?.[1])}`,
    );
    // tokens -> users goes over the internal route: the container network, where no router writes a line.
    expect([...described].sort()).toEqual(
      ['tokens APP /api/tokens', 'tokens RTR /api/tokens', 'users APP /api/users/internal/credentials/verify'].sort(),
    );
    expect(found.every((record) => requestIdOf(record) === requestId)).toBe(true);
    // In time order: the users app answered before tokens did, and tokens before the router's line of the login.
    const at = (text: string) => described.indexOf(text);
    expect([
      at('users APP /api/users/internal/credentials/verify') < at('tokens APP /api/tokens'),
      at('tokens APP /api/tokens') < at('tokens RTR /api/tokens'),
    ]).toEqual([true, true]);
  });

  test('when a registration brings a traceparent, then the users app gets it through the router and its bus event carries the same trace id', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const nickname = `tp${Date.now().toString(36)}`;
    const created = await http(real.port, '/api/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ nickname, password: 'correct horse battery staple' }),
    });
    expect(created.status).toBe(201);
    const uri = String((space.provisioned?.bindings.get('event-bus')?.credentials as { uri?: string } | undefined)?.uri);
    const redis = new Redis(uri, { maxRetriesPerRequest: 1 });
    try {
      const entries = (await redis.xrevrange('bus:events', '+', '-', 'COUNT', 50)) as Array<[string, string[]]>;
      const entry = entries
        .map(([, fields]) => Object.fromEntries(fields.flatMap((value, index) => (index % 2 === 0 ? [[value, fields[index + 1]]] : []))))
        .find((fields) => fields.name === 'user.created' && String(fields.payload).includes(nickname));
      expect([entry?.request_id, /^00-([0-9a-f]{32})-/.exec(String(entry?.traceparent))?.[1]]).toEqual([
        created.headers['x-request-id'],
        traceId,
      ]);
    } finally {
      redis.disconnect();
    }
  });
});
