import { EventSource } from 'eventsource';
import { rollingPush, type LogRecord, type Space } from '../../src';
import { http, listeningAddresses, manifestAppNames, only, REFERENCE_APPS } from './helpers';
import { startRealSpace, type RealSpace } from './real-space';

let real: RealSpace;
let space: Space;
let port: number;
let logs: LogRecord[];

beforeAll(async () => {
  real = await startRealSpace('platform-test');
  ({ space, port, logs } = real);
});
afterAll(async () => real?.stop());

describe('the real manifest on the local platform', () => {
  test('when every public route is asked through the router, then the app that owns it answers (not the router)', async () => {
    const ask = async (path: string, method = 'GET') => {
      const reply = await http(port, path, { method, headers: { 'x-request-id': `route-check-0000000000-${path.length}` } });
      return [
        path,
        reply.status,
        reply.headers['x-cf-routererror'] ?? 'app',
        reply.headers['x-request-id'] === `route-check-0000000000-${path.length}`,
      ];
    };
    expect(
      await Promise.all([
        ask('/'),
        ask('/.well-known/jwks.json'),
        ask('/api/users/me'),
        ask('/api/tokens', 'POST'),
        ask('/api/messages'),
        ask('/api/events'),
      ]),
    ).toEqual([
      ['/', 200, 'app', true],
      ['/.well-known/jwks.json', 200, 'app', true],
      ['/api/users/me', 401, 'app', true],
      ['/api/tokens', 401, 'app', true],
      ['/api/messages', 401, 'app', true],
      ['/api/events', 401, 'app', true],
    ]);
  });

  test("when the users app's internal credentials route is asked through the router, then 404 on every public host, while tokens checks passwords there through users' internal route", async () => {
    const nickname = `int${Date.now().toString(36)}`;
    const password = 'correct horse battery staple';
    expect(
      (
        await http(port, '/api/users', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ nickname, password }),
        })
      ).status,
    ).toBe(201);
    const verify = async (host: string) => {
      const reply = await http(port, '/api/users/internal/credentials/verify', {
        method: 'POST',
        headers: { host, 'content-type': 'application/json', 'x-service-key': 'guess' },
        body: JSON.stringify({ nickname, password }),
      });
      return [host, reply.status, reply.json<{ error: { code: string } }>().error.code];
    };
    expect(await Promise.all(['chat.localhost', 'chat-users.localhost', '127.0.0.1', 'chat-users.apps.internal'].map(verify))).toEqual([
      ['chat.localhost', 404, 'not_found'],
      ['chat-users.localhost', 404, 'not_found'],
      ['127.0.0.1', 404, 'not_found'],
      ['chat-users.apps.internal', 404, 'unknown_route'],
    ]);
    const login = await http(port, '/api/tokens', {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${nickname}:${password}`).toString('base64')}` },
    });
    expect([login.status, [...space.internalAddresses.keys()]]).toEqual([200, ['chat-users.apps.internal']]);
  });

  test("when each app's own route is asked for /version, then that app answers with the manifest's version", async () => {
    const apps = manifestAppNames();
    expect(only(apps, REFERENCE_APPS)).toEqual(REFERENCE_APPS);
    const versions = await Promise.all(
      apps.map(async (app) =>
        (await http(port, '/version', { headers: { host: `chat-${app}.localhost` } })).json<{ app: string; version: string }>(),
      ),
    );
    expect(versions.map((version) => [version.app, version.version])).toEqual(apps.map((app) => [app, '0.1.0-dev']));
  });

  test('when the apps start without REDIS_URL in their environment, then they find every Redis through VCAP_SERVICES and are ready', async () => {
    // Readiness is asked on each instance's own port, as the platform's health check does:
    // through the router /ready is hidden (404) without METRICS_TOKEN.
    // Every app but ui (it binds no Redis): the reference chat's four, then any other app of the manifest.
    const apps = manifestAppNames().filter((app) => app !== 'ui');
    expect(only(apps, REFERENCE_APPS)).toEqual(['users', 'tokens', 'messages', 'push']);
    const web = [...space.slots.values()].filter((slot) => slot.process.type === 'web' && apps.includes(slot.app.name));
    const ready = await Promise.all(web.map(async (slot) => (await http(slot.instance.port, '/ready')).status));
    const routed = await Promise.all(
      apps.map(async (app) => (await http(port, '/ready', { headers: { host: `chat-${app}.localhost` } })).status),
    );
    expect([web.length, new Set(ready), routed]).toEqual([2 * apps.length, new Set([200]), apps.map(() => 404)]);
    expect(logs.some((record) => record.app === 'push' && record.line.includes('VCAP_SERVICES binding \\"event-bus\\"'))).toBe(true);
  });

  test("when the apps run, then every instance listens on loopback only: the machine's other addresses cannot reach it past the router (its limits, and the ops routes it hides)", () => {
    const instances = [...space.slots.values()]
      .filter((slot) => slot.process.type === 'web')
      .map((slot) => [slot.app.name, listeningAddresses(slot.instance.port)]);
    expect(instances.length).toBeGreaterThanOrEqual(2 * REFERENCE_APPS.length);
    expect(instances).toEqual(instances.map(([app]) => [app, ['127.0.0.1']]));
  });

  test('when the push app is pushed while a client follows the event stream, then the stream reconnects with Last-Event-ID and misses no message', async () => {
    const nickname = `plat${Date.now().toString(36)}`;
    const password = 'correct horse battery staple';
    expect(
      (
        await http(port, '/api/users', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ nickname, password }),
        })
      ).status,
    ).toBe(201);
    const login = await http(port, '/api/tokens', {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${nickname}:${password}`).toString('base64')}` },
    });
    const token = login.json<{ access_token: string }>().access_token;

    const received = new Set<string>();
    const waiters = new Map<string, () => void>();
    let reconnects = 0;
    const source = new EventSource(`http://127.0.0.1:${port}/api/events`, {
      fetch: (input, init) =>
        fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${token}` } }),
    });
    source.addEventListener('error', () => (reconnects += 1));
    source.addEventListener('message.created', (event) => {
      const id = (JSON.parse(event.data) as { payload: { id: string } }).payload.id;
      received.add(id);
      waiters.get(id)?.();
    });
    await new Promise<void>((resolve) => source.addEventListener('open', () => resolve(), { once: true }));
    const arrival = (id: string) => (received.has(id) ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(id, resolve)));

    const sent: string[] = [];
    const postMessage = async (text: string) => {
      const reply = await http(port, '/api/messages', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
      expect(reply.status).toBe(201);
      sent.push(reply.json<{ id: string }>().id);
    };
    try {
      let pushed = false;
      const pushing = rollingPush(space, { apps: ['push'], version: '0.1.1-dev' }).finally(() => (pushed = true));
      for (let i = 0; !pushed && i < 300; i += 1) await postMessage(`during the push ${i}`);
      await pushing;
      await postMessage('after the push');
      await arrival(sent[sent.length - 1] ?? '');
      process.stdout.write(
        `SSE across a rolling push of push: ${sent.length} messages sent, ${sent.filter((id) => received.has(id)).length} received, ${reconnects} reconnects\n`,
      );
      expect(sent.filter((id) => !received.has(id))).toEqual([]);
      expect(reconnects).toBeGreaterThanOrEqual(1);
    } finally {
      source.close();
    }
  });
});
