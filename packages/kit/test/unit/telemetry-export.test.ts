import { DataPointType } from '@opentelemetry/sdk-metrics';
import { createExportWarnings, WARN_INTERVAL_MS } from '../../src/telemetry/export-warnings';
import { prometheusProducer } from '../../src/telemetry/prometheus-producer';
import { inDeliverySpan, inEventSpan } from '../../src/telemetry/spans';
import { createHttpMetrics } from '../../src/http/metrics';
import { createLogger } from '../../src/log';

describe('export warnings', () => {
  test('when exports keep failing, then one warn line a minute at most, counting the failures between', () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({ app: 't', instance: '0', version: '0' }, 'info', {
      write: (line: string) => void lines.push(JSON.parse(line)),
    });
    let now = 1_000_000;
    const warnings = createExportWarnings(new URL('https://otlp.example.com/prefix?token=secret'), WARN_INTERVAL_MS, () => now);
    warnings.useLogger(logger);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), { code: 'ECONNREFUSED' });
    warnings.failed('traces', refused);
    for (let second = 1; second < 60; second += 1) {
      now += 1000;
      warnings.failed(second % 2 ? 'metrics' : 'traces', refused);
    }
    expect(lines).toHaveLength(1);
    now += 1000; // a minute after the first
    warnings.failed('traces', 'timeout');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      signal: 'traces',
      endpoint: 'https://otlp.example.com/prefix',
      error: 'connect ECONNREFUSED 127.0.0.1:4318 (ECONNREFUSED)',
      failures: 1,
    });
    expect(lines[1]).toMatchObject({ failures: 60, error: 'timeout' });
    expect(JSON.stringify(lines)).not.toContain('secret');
  });
});

describe('prometheusProducer', () => {
  test('when the kit histogram has observations, then OTLP gets the same name, bounds and counts as /metrics', async () => {
    const metrics = createHttpMetrics(false);
    for (const seconds of [0.001, 0.007, 0.2, 0.2, 30]) metrics.observe('/api/users/:id', 'GET', 200, seconds);
    metrics.observe('/api/users', 'POST', 201, 0.02);
    const { resourceMetrics, errors } = await prometheusProducer(() => [metrics.registry], { name: 'kit', version: '1' }).collect();
    expect(errors).toEqual([]);
    const [histogram] = resourceMetrics.scopeMetrics[0]!.metrics;
    expect(histogram).toMatchObject({ descriptor: { name: 'http_request_duration_seconds' }, dataPointType: DataPointType.HISTOGRAM });
    const points = histogram!.dataPoints as Array<{
      attributes: Record<string, string>;
      value: { buckets: { boundaries: number[]; counts: number[] }; sum: number; count: number };
    }>;
    expect(points.map((point) => point.attributes)).toEqual([
      { route: '/api/users/:id', method: 'GET', status: '200' },
      { route: '/api/users', method: 'POST', status: '201' },
    ]);
    expect(points[0]!.value).toEqual({
      buckets: { boundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], counts: [1, 1, 0, 0, 0, 2, 0, 0, 0, 0, 1] },
      sum: expect.closeTo(30.408, 6),
      count: 5,
    });
  });

  test('when process metrics are on, then counters become monotonic sums and gauges gauges, under their own names', async () => {
    const metrics = createHttpMetrics(true);
    const { resourceMetrics } = await prometheusProducer(() => [metrics.registry], { name: 'kit', version: '1' }).collect();
    const byName = new Map(resourceMetrics.scopeMetrics[0]!.metrics.map((metric) => [metric.descriptor.name, metric]));
    expect(byName.get('process_cpu_seconds_total')).toMatchObject({ dataPointType: DataPointType.SUM, isMonotonic: true });
    expect(byName.get('nodejs_heap_size_used_bytes')).toMatchObject({ dataPointType: DataPointType.GAUGE });
    expect(byName.get('nodejs_gc_duration_seconds')).toMatchObject({ dataPointType: DataPointType.HISTOGRAM });
  });
});

describe('spans without telemetry', () => {
  test('when nothing is configured, then inEventSpan and inDeliverySpan just run their work', async () => {
    const event = {
      id: '1-0',
      name: 'message.created',
      time: '',
      payload: {},
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    };
    expect(inEventSpan(event, () => 'handled')).toBe('handled');
    await expect(inEventSpan(event, async () => 'async')).resolves.toBe('async');
    expect(inDeliverySpan([event], { streams: 2 }, () => 3)).toBe(3);
  });
});
