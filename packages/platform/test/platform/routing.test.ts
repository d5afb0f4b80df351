import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allocateTestDatabase } from '@bundle/kit/testing';
import { formatStatus, spaceStatus } from '../../src';
import { FIXTURES, fixtureSpace, http } from './helpers';

jest.setTimeout(120_000);

type Started = Awaited<ReturnType<typeof fixtureSpace>>;
let started: Started;

beforeAll(async () => {
  started = await fixtureSpace({ space: 'routing', redisUrl: await allocateTestDatabase() });
});
afterAll(async () => started?.stop());

describe('the router of a running space', () => {
  test('when each route of the manifest is asked, then the app that owns it answers, by host and longest path prefix', async () => {
    const ask = async (path: string, host = 'chat.localhost') =>
      (await http(started.port, path, { headers: { host } })).json<{ app: string; path: string }>();
    expect(
      await Promise.all([
        ask('/'),
        ask('/anything/else'),
        ask('/api/users'),
        ask('/api'),
        ask('/api/deep/x'),
        ask('/apis'),
        ask('/x', 'chat-front.localhost'),
        ask('/x', '127.0.0.1:9'),
      ]),
    ).toEqual([
      { app: 'front', index: expect.any(String), version: '1.0.0', port: expect.any(Number), path: '/' },
      expect.objectContaining({ app: 'front', path: '/anything/else' }),
      expect.objectContaining({ app: 'api', path: '/api/users' }),
      expect.objectContaining({ app: 'api', path: '/api' }),
      expect.objectContaining({ app: 'deep', path: '/api/deep/x' }),
      expect.objectContaining({ app: 'front', path: '/apis' }),
      expect.objectContaining({ app: 'front', path: '/x' }),
      expect.objectContaining({ app: 'front', path: '/x' }),
    ]);
  });

  test('when the host has no route, then 404 with the JSON error shape', async () => {
    const reply = await http(started.port, '/', { headers: { host: 'nowhere.example.com' } });
    expect([reply.status, reply.json()]).toEqual([
      404,
      {
        error: {
          code: 'unknown_route',
          message: "Requested route ('nowhere.example.com/') does not exist.",
          request_id: expect.any(String),
        },
      },
    ]);
  });

  test('when requests come in, then they are spread over both instances', async () => {
    const ports = new Set<number>();
    for (let i = 0; i < 6; i += 1) ports.add((await http(started.port, '/api/x')).json<{ port: number }>().port);
    expect(ports.size).toBe(2);
  });

  test('when a request has no X-Request-Id, then one is made; when it has one, it is kept; X-Forwarded-* are set', async () => {
    const made = (await http(started.port, '/headers')).json<{ headers: Record<string, string> }>().headers;
    const kept = (
      await http(started.port, '/headers', { headers: { 'x-request-id': 'abc-123-client-chosen-id', host: 'chat.localhost:8080' } })
    ).json<{ headers: Record<string, string> }>().headers;
    expect(made['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(kept).toMatchObject({
      'x-request-id': 'abc-123-client-chosen-id',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'chat.localhost:8080',
      'x-forwarded-port': '8080',
      host: 'chat.localhost:8080',
    });
  });

  test("when an app names another's internal route in its env, then it gets a 127.0.0.1 address that reaches that app directly, without the router's headers or access line", async () => {
    const env = (await http(started.port, '/env', { headers: { host: 'chat-front.localhost' } })).json<{ deep_url: string }>();
    const address = new URL(env.deep_url);
    const direct = await http(Number(address.port), '/headers', { headers: { 'x-request-id': 'internal-route-check-0001' } });
    // A routed request after it: once its access line is in, any line of the direct one would be too.
    const routedLine = started.waitForLog(/internal-route-check-0002/);
    await http(started.port, '/api/x', { headers: { 'x-request-id': 'internal-route-check-0002' } });
    await routedLine;
    const body = direct.json<{ app: string; headers: Record<string, string> }>();
    expect([
      address.hostname,
      body.app,
      body.headers['x-forwarded-for'],
      body.headers['x-forwarded-proto'],
      body.headers['x-request-id'],
    ]).toEqual(['127.0.0.1', 'deep', undefined, undefined, 'internal-route-check-0001']);
    expect(started.logs.filter((record) => record.line.includes('internal-route-check-0001'))).toEqual([]);
    // scripts/status says where the internal route resolves, in its JSON and its table.
    const deep = spaceStatus(started.space).apps.find((app) => app.name === 'deep');
    expect(deep?.internal_addresses).toEqual({ 'chat-deep.apps.internal': `127.0.0.1:${address.port}` });
    expect(formatStatus(spaceStatus(started.space))).toContain(`chat-deep.apps.internal (127.0.0.1:${address.port})`);
  });

  test('when the public router is asked for an internal route, then 404: the container network is the only way to it', async () => {
    const reply = await http(started.port, '/health', { headers: { host: 'chat-deep.apps.internal' } });
    expect([reply.status, reply.headers['x-cf-routererror']]).toEqual([404, 'unknown_route']);
  });

  test('when a request is routed, then an [RTR/0] access line has its status, duration and request id', async () => {
    const line = started.waitForLog(/\[RTR\/0\].*rtr-line-check-0000000001/);
    await http(started.port, '/api/x', { headers: { 'x-request-id': 'rtr-line-check-0000000001' } });
    expect((await line).line).toMatch(
      /"GET \/api\/x HTTP\/1\.1" 200 .* response_time:\d+\.\d+ app_index:"\d" x_request_id:"rtr-line-check-0000000001"$/,
    );
  });

  test('when a Server-Sent Events stream is opened, then its first event arrives while the stream stays open', async () => {
    const first = await new Promise<string>((resolve, reject) => {
      const req = require('node:http').request(
        { host: '127.0.0.1', port: started.port, path: '/api/sse' },
        (res: import('node:http').IncomingMessage) => {
          res.setEncoding('utf8');
          res.once('data', (chunk: string) => {
            resolve(chunk);
            req.destroy();
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(first).toMatch(/^id: 1\ndata: \{"app":"api"/);
  });
});

describe('what an instance is given', () => {
  test('when an app binds services, then VCAP_SERVICES has the shape of Cloud Foundry documentation example', async () => {
    const example = JSON.parse(readFileSync(join(FIXTURES, 'vcap-services-cf-docs.json'), 'utf8')) as Record<
      string,
      Array<Record<string, unknown>>
    >;
    const { vcap_services: services } = (await http(started.port, '/env')).json<{
      vcap_services: Record<string, Array<Record<string, unknown>>>;
    }>();
    const shape = (binding: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(binding).map(([key, value]) => [key, value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value]),
      );
    const sendgrid = example.sendgrid?.[0] as Record<string, unknown>;
    expect(Object.keys(services).sort()).toEqual(['redis', 'user-provided']);
    const redis = services.redis?.[0] as Record<string, unknown>;
    const provided = services['user-provided']?.[0] as Record<string, unknown>;
    expect(shape(redis)).toEqual(shape(sendgrid));
    const { plan: _plan, ...withoutPlan } = shape(sendgrid);
    expect(shape(provided)).toEqual(withoutPlan);
    expect(redis).toMatchObject({
      name: 'users-db',
      instance_name: 'users-db',
      binding_name: null,
      label: 'redis',
      credentials: { host: '127.0.0.1', port: expect.any(Number), uri: expect.stringMatching(/^redis:\/\//) },
    });
    expect(provided).toMatchObject({
      name: 'service-credentials',
      label: 'user-provided',
      tags: [],
      credentials: { key: expect.stringMatching(/^[\w-]{32}$/) },
    });
  });

  test('when an instance starts, then VCAP_APPLICATION, CF_INSTANCE_INDEX, PORT and NODE_ENV are set as Cloud Foundry sets them', async () => {
    const env = (await http(started.port, '/env')).json<{
      index: string;
      port: number;
      node_env: string;
      vcap_application: Record<string, unknown>;
    }>();
    expect(env.node_env).toBe('production');
    expect(env.vcap_application).toMatchObject({
      application_name: 'front',
      name: 'front',
      space_name: 'routing',
      uris: ['chat.localhost', 'chat-front.localhost'],
      application_uris: ['chat.localhost', 'chat-front.localhost'],
      instance_index: Number(env.index),
      process_type: 'web',
      limits: { mem: 64, disk: 64, fds: 16384 },
      application_version: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(env.vcap_application.port).toBe(env.port);
  });
});
