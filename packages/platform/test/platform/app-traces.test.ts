/**
 * One trace per user action, across the real apps on the local platform: the manifest's apps,
 * each given an OTLP endpoint (a receiver of this test, which decodes what they send against
 * the opentelemetry-proto definitions), half of them in http/protobuf and half in http/json.
 * A login and a posted message are each one trace: names, parents or links, services, and the
 * log lines written inside each span carry its ids.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { startOtlpReceiver, type FlatSpan, type OtlpReceiver } from '../../../kit/test/support/otlp-receiver';
import { http, ROOT } from './helpers';
import { startRealSpace, type RealSpace } from './real-space';

let receiver: OtlpReceiver;
let real: RealSpace;
let dir: string;

/** http/json for these apps, http/protobuf for the others: both encodings in one run. */
const JSON_APPS = new Set(['users', 'push']);

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // Under the repository (.local/, ignored by git): a space keeps droplets of what lies under it.
  mkdirSync(join(ROOT, '.local'), { recursive: true });
  dir = mkdtempSync(join(ROOT, '.local', 'app-traces-'));
  // The repository's manifest (its ((vars)) untouched), each app's env naming the receiver and exporting at once.
  const manifest = parseDocument(readFileSync(join(ROOT, 'manifest.yml'), 'utf8'));
  const names = (manifest.toJS() as { applications: Array<{ name: string }> }).applications.map((app) => app.name);
  names.forEach((name, index) => {
    manifest.setIn(['applications', index, 'path'], relative(dir, ROOT));
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: JSON_APPS.has(name) ? 'http/json' : 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
    };
    for (const [key, value] of Object.entries(env)) manifest.setIn(['applications', index, 'env', key], value);
  });
  const manifestFile = join(dir, 'manifest.yml');
  writeFileSync(manifestFile, String(manifest));
  real = await startRealSpace('app-traces', { manifestFile, vars: { web_instances: 1 } });
});
afterAll(async () => {
  await real?.stop();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

const CALLER = '00f067aa0ba902b7';
const traceparent = (traceId: string) => `00-${traceId}-${CALLER}-01`;

/** The spans of one trace, once every expected (service, name) arrived. */
function spansOf(traceId: string, expected: Array<[string, string | RegExp]>): Promise<FlatSpan[]> {
  return receiver.waitFor(() => {
    const spans = receiver.spans().filter((span) => span.traceId === traceId);
    const found = expected.every(([service, name]) => spans.some((span) => span.service === service && matches(span.name, name)));
    return found && spans;
  });
}
const matches = (value: string, name: string | RegExp) => (typeof name === 'string' ? value === name : name.test(value));
const one = (spans: FlatSpan[], service: string, name: string | RegExp): FlatSpan => {
  const found = spans.filter((span) => span.service === service && matches(span.name, name));
  if (found.length !== 1)
    throw new Error(`${found.length} spans ${service} ${name}: ${spans.map((span) => `${span.service} ${span.name}`).join(', ')}`);
  return found[0]!;
};

/** The app lines (parsed JSON) of the space's log that carry this trace id. */
const linesOf = (traceId: string) =>
  real.logs
    .filter((record) => record.line.startsWith('{'))
    .map(
      (record) =>
        ({ ...(JSON.parse(record.line) as Record<string, unknown>), app: record.app }) as Record<string, unknown> & { app: string },
    )
    .filter((line) => line.trace_id === traceId);

async function signUp(nickname: string, password: string): Promise<void> {
  const created = await http(real.port, '/api/users', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nickname, password }),
  });
  expect(created.status).toBe(201);
}

describe('one trace per user action, across the apps', () => {
  test("a login is one trace: tokens, its call to the users internal route, both apps' Redis; each line inside carries the span ids", async () => {
    const nickname = `tr${Date.now().toString(36)}`;
    const password = 'correct horse battery staple';
    await signUp(nickname, password);
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const login = await http(real.port, '/api/tokens', {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${nickname}:${password}`).toString('base64')}`, traceparent: traceparent(traceId) },
    });
    expect(login.status).toBe(200);
    const spans = await spansOf(traceId, [
      ['tokens', 'POST /api/tokens'],
      ['tokens', 'POST'],
      ['users', /^POST \/api\/users\/internal\//],
    ]);
    const tokens = one(spans, 'tokens', 'POST /api/tokens');
    expect(tokens).toMatchObject({ parentSpanId: CALLER, kind: 2 });
    const call = one(spans, 'tokens', 'POST');
    expect(call).toMatchObject({ kind: 3, parentSpanId: tokens.spanId });
    const users = one(spans, 'users', /^POST \/api\/users\/internal\//);
    expect(users.parentSpanId).toBe(call.spanId);
    // Redis: users reads the account, tokens counts the login; each a child within its app.
    const redis = spans.filter((span) => span.scope === '@opentelemetry/instrumentation-ioredis');
    expect(new Set(redis.map((span) => span.service))).toEqual(new Set(['users', 'tokens']));
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([traceId]));
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['tokens', 'users']));

    // Lines reach stdout in blocks (at most 100 ms later): wait for both access lines.
    for (const app of ['tokens', 'users']) await real.waitForLog(new RegExp(`^${app} .*"trace_id":"${traceId}".*"msg":"request"`));
    const lines = linesOf(traceId);
    const access = lines.filter((line) => line.msg === 'request');
    expect(access.map((line) => [line.app, line.route])).toEqual(
      expect.arrayContaining([
        ['tokens', '/api/tokens'],
        ['users', expect.stringMatching(/^\/api\/users\/internal\//)],
      ]),
    );
    expect(access.find((line) => line.app === 'tokens')?.span_id).toBe(tokens.spanId);
    expect(access.find((line) => line.app === 'users')?.span_id).toBe(users.spanId);
  });

  test('a posted message is one trace: the POST, its Redis calls, the worker handling the bus entry, push delivering it to an open stream', async () => {
    const nickname = `tm${Date.now().toString(36)}`;
    const password = 'correct horse battery staple';
    await signUp(nickname, password);
    const login = await http(real.port, '/api/tokens', {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${nickname}:${password}`).toString('base64')}` },
    });
    const token = login.json<{ access_token: string }>().access_token;
    const stream = await openStream(token);
    try {
      const traceId = '0af7651916cd43dd8448eb211c80319c';
      const posted = await http(real.port, '/api/messages', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', traceparent: traceparent(traceId) },
        body: JSON.stringify({ text: `hello @${nickname}` }),
      });
      expect(posted.status).toBe(201);
      await stream.waitFor('message.created');
      const spans = await spansOf(traceId, [
        ['messages', 'POST /api/messages'],
        ['messages', 'process message.created'],
        ['push', 'deliver message.created'],
      ]);
      const post = one(spans, 'messages', 'POST /api/messages');
      expect(post.parentSpanId).toBe(CALLER);
      // Its Redis commands (the rate count, the message log, the bus entry) are its children.
      const redis = spans.filter((span) => span.service === 'messages' && span.scope === '@opentelemetry/instrumentation-ioredis');
      expect(redis.map((span) => span.name)).toEqual(expect.arrayContaining(['xadd']));
      expect(redis.filter((span) => span.parentSpanId === post.spanId)).toHaveLength(
        redis.filter((span) => span.resource['cloudfoundry.process.type'] === 'web').length,
      );
      // The worker (a process of the messages app) continues from the bus entry's traceparent.
      const processed = one(spans, 'messages', 'process message.created');
      expect(processed).toMatchObject({ kind: 5, parentSpanId: post.spanId });
      expect(processed.resource['cloudfoundry.process.type']).toBe('worker');
      const delivered = one(spans, 'push', 'deliver message.created');
      expect(delivered.links).toEqual([{ traceId, spanId: post.spanId }]);
      expect(Number(delivered.attributes['push.streams'])).toBeGreaterThanOrEqual(1);
      expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([traceId]));

      await real.waitForLog(new RegExp(`^messages .*"trace_id":"${traceId}".*"msg":"request"`));
      const lines = linesOf(traceId);
      expect(lines.find((line) => line.app === 'messages' && line.msg === 'request')?.span_id).toBe(post.spanId);
      // Every app line of the trace names a span of it.
      const ids = new Set(spans.map((span) => span.spanId));
      expect(lines.filter((line) => !ids.has(String(line.span_id)))).toEqual([]);
    } finally {
      stream.close();
    }
  });

  test('what the exporters sent is OTLP in both encodings, the proto definitions accepting all of it, and the metrics of /metrics come along', async () => {
    await receiver.waitFor(() =>
      receiver.exports.some((entry) => entry.signal === 'metrics' && JSON.stringify(entry.body).includes('/api/messages')),
    );
    const types = new Set(receiver.exports.map((entry) => entry.contentType));
    expect(types).toEqual(new Set(['application/x-protobuf', 'application/json']));
    expect(receiver.rejected).toEqual([]);
  });
});

/** An event stream held open through the router, resolving when an event of that name arrived. */
function openStream(token: string): Promise<{ waitFor(event: string): Promise<void>; close(): void }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const waiters: Array<{ event: string; done: () => void }> = [];
    const req = request(
      { host: '127.0.0.1', port: real.port, path: '/api/events', headers: { authorization: `Bearer ${token}` } },
      (res: IncomingMessage) => {
        if (res.statusCode !== 200) return reject(new Error(`stream: ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          for (const waiter of [...waiters]) if (text.includes(`event: ${waiter.event}`)) waiter.done();
        });
        resolve({
          waitFor: (event) => (text.includes(`event: ${event}`) ? Promise.resolve() : new Promise((done) => waiters.push({ event, done }))),
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
