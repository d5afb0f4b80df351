import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type DataPoint,
  type Histogram,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import type { MetricObjectWithValues, MetricValue, Registry } from 'prom-client';

/**
 * The metrics of /metrics, sent over OTLP as they are: the same names, the same label sets
 * as attributes, the same histogram buckets. Read from the app's prom-client registry at each
 * export (once a minute by default), so a request pays nothing more than /metrics costs it.
 * Counters become monotonic cumulative sums, gauges gauges, histograms explicit-bucket
 * histograms (cumulative, from the process's start). Summaries (none in the kit) are left out.
 */
export function prometheusProducer(registries: () => Registry[], scope: { name: string; version: string }): MetricProducer {
  const startTime = millisToHrTime(performance.timeOrigin);
  return {
    async collect(): Promise<CollectionResult> {
      const endTime = millisToHrTime(Date.now());
      const metrics: MetricData[] = [];
      for (const registry of registries()) {
        for (const metric of await registry.getMetricsAsJSON()) {
          const data = toMetricData(metric, startTime, endTime);
          if (data) metrics.push(data);
        }
      }
      // The reader takes the scopes and lays them under the SDK's own resource.
      return { resourceMetrics: { resource: emptyResource(), scopeMetrics: [{ scope, metrics }] }, errors: [] };
    },
  };
}

export function toMetricData(
  metric: MetricObjectWithValues<MetricValue<string>>,
  startTime: HrTime,
  endTime: HrTime,
): MetricData | undefined {
  const descriptor = { name: metric.name, description: metric.help, unit: '', valueType: ValueType.DOUBLE };
  const temporality = AggregationTemporality.CUMULATIVE;
  const point = (value: MetricValue<string>): DataPoint<number> => ({
    startTime,
    endTime,
    attributes: attributesOf(value.labels),
    value: value.value,
  });
  switch (String(metric.type)) {
    case 'counter':
      return {
        descriptor,
        aggregationTemporality: temporality,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints: metric.values.map(point),
      };
    case 'gauge':
      return { descriptor, aggregationTemporality: temporality, dataPointType: DataPointType.GAUGE, dataPoints: metric.values.map(point) };
    case 'histogram':
      return {
        descriptor,
        aggregationTemporality: temporality,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: histogramPoints(metric, startTime, endTime),
      };
    default:
      return undefined;
  }
}

interface Series {
  attributes: Attributes;
  /** [upper bound, cumulative count] in the order prom-client gives them, +Inf last. */
  buckets: Array<[number, number]>;
  sum: number;
  count: number;
}

/** prom-client's cumulative `_bucket{le}` values, `_sum` and `_count`, regrouped per label set as OTLP histogram points. */
function histogramPoints(
  metric: MetricObjectWithValues<MetricValue<string>>,
  startTime: HrTime,
  endTime: HrTime,
): Array<DataPoint<Histogram>> {
  const bySeries = new Map<string, Series>();
  for (const value of metric.values) {
    const { le, ...labels } = value.labels as Record<string, string | number>;
    const key = JSON.stringify(labels);
    let series = bySeries.get(key);
    if (!series) bySeries.set(key, (series = { attributes: attributesOf(labels), buckets: [], sum: 0, count: 0 }));
    const name = (value as { metricName?: string }).metricName ?? '';
    if (name.endsWith('_bucket') && le !== undefined) series.buckets.push([le === '+Inf' ? Infinity : Number(le), value.value]);
    else if (name.endsWith('_sum')) series.sum = value.value;
    else if (name.endsWith('_count')) series.count = value.value;
  }
  return [...bySeries.values()].map((series) => {
    const bounded = series.buckets.filter(([bound]) => bound !== Infinity);
    const counts: number[] = [];
    let previous = 0;
    for (const [, cumulative] of bounded) {
      counts.push(cumulative - previous);
      previous = cumulative;
    }
    counts.push(series.count - previous); // the bucket above the last bound
    return {
      startTime,
      endTime,
      attributes: series.attributes,
      value: { buckets: { boundaries: bounded.map(([bound]) => bound), counts }, sum: series.sum, count: series.count },
    };
  });
}

function attributesOf(labels: Partial<Record<string, string | number>>): Attributes {
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(labels)) if (value !== undefined) attributes[key] = String(value);
  return attributes;
}
