import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { allocateTestDatabase } from '../../src/testing';
import { bundledFixture } from '../support/bundled-fixture';
import { get } from '../support/http';
import { startOtlpReceiver, type FlatSpan, type OtlpReceiver } from '../support/otlp-receiver';

const repo = resolve(__dirname, '../../../..');
/** The fixture bundled with the kit's sources, packages external: the OpenTelemetry ones load from node_modules, as in an app. */
const script = bundledFixture(join(__dirname, 'fixtures/telemetry-app.ts'), 'node22');

interface Run {
  child: ChildProcess;
  records: Array<Record<string, unknown>>;
  stderr(): string;
  exited: Promise<number | null>;
  waitFor(predicate: (record: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

const running: Run[] = [];
afterEach(async () => {
  for (const run of running.splice(0)) {
    run.child.kill('SIGKILL');
    await run.exited;
  }
});

function start(env: Record<string, string>): Run {
  const child = spawn(process.execPath, [script()], {
    // The kit's own node_modules first: npm may keep some of its packages there rather than at the root.
    env: {
      PATH: process.env.PATH,
      NODE_PATH: [join(repo, 'packages/kit/node_modules'), join(repo, 'node_modules')].join(delimiter),
      HOST: '127.0.0.1',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const records: Array<Record<string, unknown>> = [];
  const waiters: Array<{ predicate: (record: Record<string, unknown>) => boolean; resolve: (record: Record<string, unknown>) => void }> =
    [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const record = JSON.parse(line) as Record<string, unknown>;
    records.push(record);
    for (const waiter of waiters.filter((candidate) => candidate.predicate(record))) waiter.resolve(record);
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const run: Run = {
    child,
    records,
    stderr: () => stderr,
    exited,
    waitFor: (predicate) =>
      new Promise((resolve, reject) => {
        const found = records.find(predicate);
        if (found) resolve(found);
        else waiters.push({ predicate, resolve });
        void exited.then((code) => reject(new Error(`exited with ${code} first; stderr: ${stderr}`)));
      }),
  };
  running.push(run);
  return run;
}

/** The port, once the process listens and its /ready passes (its Redis connected: commands fail at once before). */
async function listening(run: Run): Promise<number> {
  const { port } = (await run.waitFor((record) => record.msg === 'listening')) as { port: number };
  while ((await get(port, '/ready')).status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
  return port;
}

/** A GET with headers, over a real socket. */
function getWith(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return fetch(`http://127.0.0.1:${port}${path}`, { headers }).then(async (response) => ({
    status: response.status,
    body: await response.text(),
  }));
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const VCAP_APPLICATION = JSON.stringify({
  application_name: 'telemetry-test',
  application_id: '6d8c6e6b-0d0c-4d45-9c3d-7f0d6c7f3f11',
  space_name: 'staging',
  space_id: 'b1f0c3f0-2f0a-4a5e-9a60-4f0e2c1c7c55',
  organization_name: 'acme',
  instance_index: 1,
  process_type: 'web',
});

describe('telemetry: nothing configured', () => {
  test('when no OTLP endpoint is set, then no OpenTelemetry SDK, instrumentation or exporter is loaded and lines carry no trace ids', async () => {
    const run = start({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_SERVICE_NAME: 'named-but-not-sent' });
    const port = await listening(run);
    expect(JSON.parse((await get(port, '/chain')).body)).toEqual({ inner: { inner: true } });
    // The API alone (a no-op facade), which prom-client's process CPU metric has always required
    // for its exemplars, as it did before the kit had telemetry; nothing the kit loads.
    expect(JSON.parse((await get(port, '/modules')).body)).toEqual({ opentelemetry: ['@opentelemetry/api'] });
    const lines = await run.waitFor((record) => record.msg === 'inner handled');
    expect(lines).not.toHaveProperty('trace_id');
  });
});

describe('telemetry: bad settings', () => {
  test.each([
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
      /^config error: OTEL_EXPORTER_OTLP_ENDPOINT: expected an http:\/\/ or https:\/\/ URL/,
    ],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:hunter22@collector.example' },
      /^config error: OTEL_EXPORTER_OTLP_ENDPOINT: a URL must not carry credentials/,
    ],
    [
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      /^config error: OTEL_EXPORTER_OTLP_PROTOCOL: expected http\/protobuf or http\/json \(this kit sends OTLP over HTTP only\)/,
    ],
    [{ OTEL_TRACES_SAMPLER: 'sometimes' }, /^config error: OTEL_TRACES_SAMPLER: expected one of always_on, always_off, traceidratio/],
    [
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' },
      /^config error: OTEL_TRACES_SAMPLER_ARG: expected a ratio from 0 to 1/,
    ],
    [
      { OTEL_EXPORTER_OTLP_HEADERS: 'api-key=hunter22,broken' },
      /^config error: OTEL_EXPORTER_OTLP_HEADERS: expected comma-separated headers as key=value: entry 2 has no key=$/,
    ],
    [
      { OTEL_RESOURCE_ATTRIBUTES: 'team=%zz' },
      /^config error: OTEL_RESOURCE_ATTRIBUTES: the value of "team" is not valid percent-encoding$/,
    ],
    [
      { OTEL_METRIC_EXPORT_INTERVAL: 'often' },
      /^config error: OTEL_METRIC_EXPORT_INTERVAL: expected a positive whole number of milliseconds/,
    ],
    [
      {
        VCAP_SERVICES: JSON.stringify({
          'user-provided': [{ name: 'otel', label: 'user-provided', tags: [], credentials: { headers: 'x=y' } }],
        }),
      },
      /^config error: VCAP_SERVICES: binding "otel" credentials.endpoint: missing/,
    ],
  ])('when %j, then exit 1 with one line naming the variable, no secret in it', async (env, expected) => {
    const run = start(env);
    expect(await run.exited).toBe(1);
    const lines = run
      .stderr()
      .split('\n')
      .filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
    expect(lines[0]).not.toContain('hunter22');
    expect(run.records).toEqual([]);
  });
});

describe('telemetry: exported over OTLP', () => {
  let receiver: OtlpReceiver;
  let redisUrl: string;
  beforeAll(async () => {
    redisUrl = await allocateTestDatabase();
  });
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => receiver.close());

  const exporting = (env: Record<string, string> = {}) =>
    start({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=k%20one',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_METRIC_EXPORT_INTERVAL: '300',
      REDIS_URL: redisUrl,
      VCAP_APPLICATION,
      CF_INSTANCE_INDEX: '1',
      CF_INSTANCE_GUID: 'c0ffee00-0000-4000-8000-000000000001',
      APP_VERSION: '1.2.3', // as the manifest sets it; the fixture, bundled, has no package.json of its own
      ...env,
    });

  /** The spans of one trace, once every expected name arrived. */
  const traceOf = (traceId: string, names: string[]): Promise<FlatSpan[]> =>
    receiver.waitFor(() => {
      const spans = receiver.spans().filter((span) => span.traceId === traceId);
      return names.every((name) => spans.some((span) => span.name === name)) && spans;
    });

  test('when a request comes with a traceparent, then its spans form one tree across the call, Redis and the bus, and every line inside carries its ids (http/protobuf)', async () => {
    const run = exporting();
    const port = await listening(run);
    const answer = await getWith(port, '/chain', { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` });
    expect(answer.status).toBe(200);
    const spans = await traceOf(TRACE_ID, [
      'GET /chain',
      'set',
      'xadd',
      'GET',
      'GET /inner',
      'process thing.happened',
      'deliver thing.happened',
    ]);
    const named = (name: string): FlatSpan => spans.find((span) => span.name === name)!;
    const parentOf = (name: string): string | undefined => spans.find((span) => span.spanId === named(name).parentSpanId)?.name;
    expect(named('GET /chain')).toMatchObject({ parentSpanId: CALLER_SPAN, kind: 2, scope: '@bundle/kit' });
    expect(named('GET /chain').attributes).toMatchObject({
      'http.route': '/chain',
      'http.response.status_code': '200',
      'http.request.method': 'GET',
    });
    expect(parentOf('set')).toBe('GET /chain');
    expect(parentOf('xadd')).toBe('GET /chain');
    expect(named('GET')).toMatchObject({ kind: 3, scope: '@opentelemetry/instrumentation-undici' });
    expect(parentOf('GET')).toBe('GET /chain');
    expect(parentOf('GET /inner')).toBe('GET');
    // The bus entry carried the publishing span: the consumer is its child, the delivery pass links to it.
    expect(parentOf('process thing.happened')).toBe('GET /chain');
    expect(named('process thing.happened').kind).toBe(5);
    expect(spans.filter((span) => span.parentSpanId === named('process thing.happened').spanId).map((span) => span.name)).toEqual(['get']);
    expect(named('deliver thing.happened').links).toEqual([{ traceId: TRACE_ID, spanId: named('GET /chain').spanId }]);
    expect(named('deliver thing.happened').attributes).toMatchObject({ 'messaging.batch.message_count': '1' });

    expect(named('GET /chain').resource).toMatchObject({
      'service.name': 'telemetry-test',
      'service.version': '1.2.3',
      'deployment.environment.name': 'staging',
      'cloudfoundry.app.name': 'telemetry-test',
      'cloudfoundry.space.name': 'staging',
      'cloudfoundry.org.name': 'acme',
      'cloudfoundry.app.instance.id': '1',
      'cloudfoundry.process.type': 'web',
      'service.instance.id': 'c0ffee00-0000-4000-8000-000000000001',
    });
    const traces = receiver.exports.filter((entry) => entry.signal === 'traces');
    expect(traces.every((entry) => entry.contentType === 'application/x-protobuf' && entry.headers['x-api-key'] === 'k one')).toBe(true);

    // Log correlation: each line names the span it was written in.
    const line = (msg: string) => run.waitFor((record) => record.msg === msg);
    expect(await line('chain started')).toMatchObject({ trace_id: TRACE_ID, span_id: named('GET /chain').spanId, trace_flags: '01' });
    expect(await line('inner handled')).toMatchObject({ trace_id: TRACE_ID, span_id: named('GET /inner').spanId });
    expect(await line('event handled')).toMatchObject({ trace_id: TRACE_ID, span_id: named('process thing.happened').spanId });
    expect(await line('events delivered')).toMatchObject({ trace_id: TRACE_ID, span_id: named('deliver thing.happened').spanId });
    const access = await run.waitFor((record) => record.msg === 'request' && record.route === '/chain');
    expect(access).toMatchObject({ trace_id: TRACE_ID, span_id: named('GET /chain').spanId });
  });

  test('when metrics are exported, then they are /metrics as they are: the same names and histogram buckets', async () => {
    const run = exporting();
    const port = await listening(run);
    await get(port, '/inner');
    const text = (await get(port, '/metrics')).body;
    const histogram = await receiver.waitFor(() =>
      receiver.exports
        .filter((entry) => entry.signal === 'metrics')
        .flatMap((entry) => metricsOf(entry.body))
        .find((metric) => metric.name === 'http_request_duration_seconds' && JSON.stringify(metric).includes('/inner')),
    );
    const bounds = [...text.matchAll(/^http_request_duration_seconds_bucket\{le="([^"+]+)",route="\/inner"/gm)].map((match) =>
      Number(match[1]),
    );
    expect(bounds).toEqual([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);
    const point = (histogram.histogram as { dataPoints: Array<Record<string, unknown>>; aggregationTemporality: number }).dataPoints.find(
      (candidate) => JSON.stringify(candidate.attributes).includes('/inner'),
    )!;
    expect(point).toMatchObject({ explicitBounds: bounds, count: '1' });
    expect((point.bucketCounts as string[]).map(Number).reduce((sum, count) => sum + count, 0)).toBe(1);
    expect((histogram.histogram as { aggregationTemporality: number }).aggregationTemporality).toBe(2); // cumulative
    const names = receiver.exports
      .filter((entry) => entry.signal === 'metrics')
      .flatMap((entry) => metricsOf(entry.body).map((metric) => metric.name));
    for (const name of ['process_cpu_seconds_total', 'nodejs_heap_size_used_bytes']) {
      expect(text).toContain(`# TYPE ${name} `);
      expect(names).toContain(name);
    }
  });

  test('when the protocol is http/json, then spans and metrics arrive as OTLP JSON the proto definitions accept', async () => {
    const run = exporting({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    const port = await listening(run);
    await getWith(port, '/inner', { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` });
    const [server] = await traceOf(TRACE_ID, ['GET /inner']).then((spans) => spans.filter((span) => span.name === 'GET /inner'));
    expect(server).toMatchObject({ parentSpanId: CALLER_SPAN, service: 'telemetry-test' });
    await receiver.waitFor(() => receiver.exports.some((entry) => entry.signal === 'metrics'));
    expect(receiver.exports.every((entry) => entry.contentType === 'application/json')).toBe(true);
    expect(receiver.rejected).toEqual([]);
  });

  test('when OTEL_NODE_ENABLED_INSTRUMENTATIONS names koa, then each route middleware has a span under the server span', async () => {
    const run = exporting({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,koa,ioredis,undici,pino' });
    const port = await listening(run);
    await getWith(port, '/inner', { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` });
    const spans = await traceOf(TRACE_ID, ['GET /inner', 'router - /inner']);
    const server = spans.find((span) => span.name === 'GET /inner')!;
    expect(spans.find((span) => span.name === 'router - /inner')).toMatchObject({
      parentSpanId: server.spanId,
      scope: '@opentelemetry/instrumentation-koa',
    });
    expect(await run.waitFor((record) => record.msg === 'inner handled')).toMatchObject({
      span_id: spans.find((span) => span.name === 'router - /inner')!.spanId,
    });
  });

  test('when fetch is not instrumented, then the service client still carries the trace: the next app is a child of the calling span', async () => {
    const run = exporting({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'undici' });
    const port = await listening(run);
    await getWith(port, '/chain', { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` });
    const spans = await traceOf(TRACE_ID, ['GET /chain', 'GET /inner']);
    const chain = spans.find((span) => span.name === 'GET /chain')!;
    expect(spans.find((span) => span.name === 'GET /inner')?.parentSpanId).toBe(chain.spanId);
    expect(spans.some((span) => span.scope === '@opentelemetry/instrumentation-undici')).toBe(false);
  });

  test('when the request brings no traceparent, then the kit starts a trace and its id is the one on every line', async () => {
    const run = exporting({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' });
    const port = await listening(run);
    await get(port, '/inner');
    const access = await run.waitFor((record) => record.msg === 'request' && record.route === '/inner');
    const spans = await traceOf(access.trace_id as string, ['GET /inner']);
    expect(spans.find((span) => span.name === 'GET /inner')).toMatchObject({ parentSpanId: undefined, spanId: access.span_id });
  });

  test('when SIGTERM comes before the next export, then the drain sends what is waiting', async () => {
    const run = exporting({ OTEL_BSP_SCHEDULE_DELAY: '60000', OTEL_METRIC_EXPORT_INTERVAL: '60000' });
    const port = await listening(run);
    await getWith(port, '/inner', { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` });
    expect(receiver.exports).toEqual([]);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(receiver.spans().map((span) => span.name)).toEqual(expect.arrayContaining(['GET /inner']));
    expect(receiver.exports.some((entry) => entry.signal === 'metrics')).toBe(true);
  });
});

describe('telemetry: an endpoint that does not answer', () => {
  test('when every export fails, then requests are answered as usual and one warn line says so', async () => {
    // Takes each connection and drops it at once: every export fails, and each attempt is counted.
    let attempts = 0;
    const dropping = createServer((socket) => {
      attempts += 1;
      socket.destroy();
    }).listen(0, '127.0.0.1');
    await once(dropping, 'listening');
    const deadPort = (dropping.address() as { port: number }).port;
    try {
      const run = start({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${deadPort}`,
        OTEL_BSP_SCHEDULE_DELAY: '20',
        OTEL_METRIC_EXPORT_INTERVAL: '100',
      });
      const port = await listening(run);
      for (let round = 0; round < 20; round += 1) expect((await get(port, '/inner')).status).toBe(200);
      const warning = await run.waitFor((record) => String(record.msg).startsWith('telemetry not exported'));
      expect(warning).toMatchObject({ level: 'warn', endpoint: `http://127.0.0.1:${deadPort}/` });
      // Many more exports fail after it (spans every 20 ms, metrics every 100 ms): still one line.
      const seen = attempts;
      while (attempts < seen + 10) {
        expect((await get(port, '/inner')).status).toBe(200);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await get(port, '/inner');
      expect(run.records.filter((record) => String(record.msg).startsWith('telemetry not exported'))).toHaveLength(1);
    } finally {
      dropping.close();
    }
  });
});

function metricsOf(body: Record<string, unknown>): Array<Record<string, unknown> & { name: string }> {
  return (body.resourceMetrics as Array<{ scopeMetrics: Array<{ metrics: Array<Record<string, unknown> & { name: string }> }> }>).flatMap(
    (resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics),
  );
}
