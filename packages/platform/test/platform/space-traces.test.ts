/**
 * A space's own traces: the real manifest's apps, given nothing but what the space gives every
 * instance, export to the space's receiver; a request's trace is then found by its
 * X-Request-Id on the supervisor's control channel (as scripts/trace asks it), printed by
 * scripts/trace, and served by the space's console. The router makes no span yet: a trace is
 * rooted at the first app's server span.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { controlJson } from '../../src';
import { startSpaceConsole } from '../../src/local/console/space-console';
import type { ConsoleServer } from '../../src/local/console/server';
import { startControl, writeState } from '../../src/local/control';
import type { StoredSpan } from '../../src/local/telemetry/spans';
import { http, ROOT } from './helpers';
import { startRealSpace, type RealSpace } from './real-space';

const SPACE = `traces-${process.pid}`;
const dataDir = join(ROOT, '.local', SPACE);
let real: RealSpace;
let control: Server;
let consoleServer: ConsoleServer;

beforeAll(async () => {
  mkdirSync(dataDir, { recursive: true });
  real = await startRealSpace(SPACE, { vars: { web_instances: 1 }, dataDir });
  control = await startControl(real.space, { history: () => real.logs, on: () => undefined, off: () => undefined }, () => undefined);
  writeState(real.space);
  consoleServer = await startSpaceConsole(real.space, { history: () => real.logs });
});
afterAll(async () => {
  control?.close();
  await consoleServer?.close();
  await real?.stop();
});

/** A request id of this test: the router sends on a sane client id, and the apps' server spans carry it. */
const requestId = (what: string): string => `space-traces-${what}-${Date.now().toString(36)}`;

/** The trace of a request, as scripts/trace asks for it, once every expected (service, name) has arrived. */
async function traceOf(id: string, expected: Array<[string, RegExp]>): Promise<StoredSpan[]> {
  for (;;) {
    const answer = await controlJson<{ spans?: StoredSpan[] }>(dataDir, 'GET', `/traces/${id}`);
    const spans = answer.body.spans ?? [];
    if (expected.every(([service, name]) => spans.some((span) => span.service === service && name.test(span.name)))) return spans;
    // The instances export every 200 ms (OTEL_BSP_SCHEDULE_DELAY from the space): ask again after that.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const one = (spans: StoredSpan[], service: string, name: RegExp): StoredSpan => {
  const found = spans.filter((span) => span.service === service && name.test(span.name));
  if (found.length !== 1)
    throw new Error(`${found.length} spans ${service} ${name}: ${spans.map((s) => `${s.service} ${s.name}`).join(', ')}`);
  return found[0]!;
};

function script(name: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'scripts', name), args, { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function signUp(nickname: string, password: string): Promise<void> {
  const created = await http(real.port, '/api/users', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nickname, password }),
  });
  expect(created.status).toBe(201);
}

describe("a space's traces, from its own receiver", () => {
  let loginId: string;
  let loginTrace: string;

  test("every instance runs with the space's receiver as its OTLP endpoint", () => {
    const endpoint = real.space.telemetry?.endpoint;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // What each process was started with, as the kernel keeps it.
    const endpoints = [...real.space.slots.values()].map((slot) => {
      const environ = readFileSync(`/proc/${slot.instance.pid}/environ`, 'utf8').split('\0');
      return [slot.app.name, environ.find((entry) => entry.startsWith('OTEL_EXPORTER_OTLP_ENDPOINT='))];
    });
    expect(endpoints).toEqual(endpoints.map(([app]) => [app, `OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}`]));
  });

  test("a login through the router is one trace found by its X-Request-Id: tokens, its call to users, both apps' Redis", async () => {
    const nickname = `st${Date.now().toString(36)}`;
    const password = 'correct horse battery staple';
    await signUp(nickname, password);
    loginId = requestId('login');
    const login = await http(real.port, '/api/tokens', {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${nickname}:${password}`).toString('base64')}`, 'x-request-id': loginId },
    });
    expect([login.status, login.headers['x-request-id']]).toEqual([200, loginId]);
    const spans = await traceOf(loginId, [
      ['tokens', /^POST \/api\/tokens$/],
      ['users', /^POST \/api\/users\/internal\//],
    ]);
    const tokens = one(spans, 'tokens', /^POST \/api\/tokens$/);
    // The router makes no span (yet), and the client sent no traceparent: the first app's span is the root.
    expect([tokens.parentSpanId, tokens.kind, tokens.attributes.request_id]).toEqual([undefined, 2, loginId]);
    const call = one(spans, 'tokens', /^POST$/);
    expect([call.kind, call.parentSpanId]).toEqual([3, tokens.spanId]);
    const users = one(spans, 'users', /^POST \/api\/users\/internal\//);
    expect([users.parentSpanId, users.attributes.request_id]).toEqual([call.spanId, loginId]);
    const redis = spans.filter((span) => span.scope === '@opentelemetry/instrumentation-ioredis');
    expect(new Set(redis.map((span) => span.service))).toEqual(new Set(['tokens', 'users']));
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([tokens.traceId]));
    loginTrace = tokens.traceId;
  });

  test('a posted message is one trace: the POST and the worker handling its bus entry (delivery to a stream: app-traces.test.ts)', async () => {
    const nickname = `sm${Date.now().toString(36)}`;
    const password = 'correct horse battery staple';
    await signUp(nickname, password);
    const login = await http(real.port, '/api/tokens', {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${nickname}:${password}`).toString('base64')}` },
    });
    const token = login.json<{ access_token: string }>().access_token;
    const id = requestId('post');
    const posted = await http(real.port, '/api/messages', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-request-id': id },
      body: JSON.stringify({ text: `hello @${nickname}` }),
    });
    expect(posted.status).toBe(201);
    const spans = await traceOf(id, [
      ['messages', /^POST \/api\/messages$/],
      ['messages', /^process message\.created$/],
    ]);
    const post = one(spans, 'messages', /^POST \/api\/messages$/);
    expect([post.parentSpanId, post.attributes.request_id]).toEqual([undefined, id]);
    expect(one(spans, 'messages', /^process message\.created$/).parentSpanId).toBe(post.spanId);
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([post.traceId]));
  });

  test('scripts/trace prints the login as a waterfall: the header with both ids, each span under its parent', async () => {
    const result = await script('trace', [SPACE, loginId]);
    expect([result.status, result.stderr]).toEqual([0, '']);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    expect(header).toMatch(new RegExp(`^trace ${loginTrace}  request ${loginId}  [\\d.]+ ms, \\d+ spans, 2 services$`));
    // The root first, not indented; users' span two levels under it (tokens' client call between).
    expect(rows[0]).toMatch(/^ +0\.00 ms +[\d.]+ ms \|█.*\| tokens\/0 +POST \/api\/tokens \[server\]$/);
    expect(rows).toEqual(
      expect.arrayContaining([expect.stringMatching(/\| users\/0 {2,}( {2}){2}POST \/api\/users\/internal\/\S+ \[server\]$/)]),
    );

    const json = await script('trace', [SPACE, loginTrace, '--json']);
    expect(json.status).toBe(0);
    expect((JSON.parse(json.stdout) as StoredSpan[]).map((span) => span.traceId)).toEqual(expect.arrayContaining([loginTrace]));
  });

  test('scripts/trace for a request the space does not keep: one line, exit 1', async () => {
    const result = await script('trace', [SPACE, 'no-such-request-0000000001']);
    expect([result.status, result.stdout, result.stderr]).toEqual([
      1,
      '',
      `trace: space ${SPACE} keeps no trace for no-such-request-0000000001 (it keeps recent traces only; spans arrive within a second of the response)\n`,
    ]);
  });

  test("the space's console lists the login among its recent requests and serves its trace, with the token only", async () => {
    const url = new URL(consoleServer.url);
    const token = new URLSearchParams(url.hash.slice(1)).get('token');
    const port = Number(url.port);
    expect((await http(port, '/api/requests')).status).toBe(401);
    const requests = await http(port, '/api/requests', { headers: { authorization: `Bearer ${token}` } });
    expect(requests.json<{ requests: Array<{ requestId?: string; service: string; route?: string }> }>().requests).toEqual(
      expect.arrayContaining([expect.objectContaining({ requestId: loginId, service: 'tokens', route: '/api/tokens' })]),
    );
    const trace = await http(port, `/api/traces/${loginId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(trace.json<{ spans: StoredSpan[] }>().spans[0]?.traceId).toBe(loginTrace);
    const status = await http(port, '/api/status', { headers: { authorization: `Bearer ${token}` } });
    expect(status.json<{ console?: string }>().console).toBe(consoleServer.url);
  });
});
