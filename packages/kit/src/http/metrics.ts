import { collectDefaultMetrics, Registry, type Metric } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  observe(route: string, method: string, status: number, seconds: number): void;
}

const NAME = 'http_request_duration_seconds';
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** One route/method/status series: a count per bucket (not cumulative), the sum and the count. */
interface Series {
  labels: { route: string; method: string; status: string };
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * One registry per app (not prom-client's global one), so two apps in one test process
 * never collide. Routes are labelled by template ("/api/users/:id"), never by path, so
 * label cardinality stays bounded.
 */
export function createHttpMetrics(collectProcessMetrics = true): HttpMetrics {
  const registry = new Registry();
  if (collectProcessMetrics) collectDefaultMetrics({ register: registry });
  // The duration histogram keeps its own counters: prom-client's Histogram validates and
  // hashes the label object on every observe, which was a tenth of the kit's own cost per
  // request (bench/kit). It is exported in the same shape as a prom-client Histogram.
  const series: Series[] = [];
  // route -> method -> status -> series: plain lookups, no key string to build and hash per request.
  const index = new Map<string, Map<string, Map<number, Series>>>();
  const histogram = {
    name: NAME,
    help: 'HTTP request duration by route template, method and status',
    type: 'histogram',
    aggregator: 'sum',
    get: () =>
      Promise.resolve({
        name: histogram.name,
        help: histogram.help,
        type: histogram.type,
        aggregator: histogram.aggregator,
        values: series.flatMap(exportSeries),
      }),
  };
  registry.registerMetric(histogram as unknown as Metric);
  return {
    registry,
    observe: (route, method, status, seconds) => {
      let byMethod = index.get(route);
      if (byMethod === undefined) index.set(route, (byMethod = new Map()));
      let byStatus = byMethod.get(method);
      if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
      let entry = byStatus.get(status);
      if (entry === undefined) {
        entry = { labels: { route, method, status: String(status) }, buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
        byStatus.set(status, entry);
        series.push(entry);
      }
      for (let bucket = 0; bucket < BUCKETS.length; bucket += 1) {
        if (seconds <= (BUCKETS[bucket] ?? Infinity)) {
          entry.buckets[bucket] = (entry.buckets[bucket] ?? 0) + 1;
          break;
        }
      }
      entry.sum += seconds;
      entry.count += 1;
    },
  };
}

/** The values prom-client's Histogram.get() gives: cumulative buckets with `le`, +Inf, sum, count. */
function exportSeries(entry: Series): Array<{ metricName: string; labels: Record<string, string | number>; value: number }> {
  let cumulative = 0;
  const values = BUCKETS.map((bound, index): { metricName: string; labels: Record<string, string | number>; value: number } => {
    cumulative += entry.buckets[index] ?? 0;
    return { metricName: `${NAME}_bucket`, labels: { le: bound, ...entry.labels }, value: cumulative };
  });
  values.push(
    { metricName: `${NAME}_bucket`, labels: { le: '+Inf', ...entry.labels }, value: entry.count },
    { metricName: `${NAME}_sum`, labels: entry.labels, value: entry.sum },
    { metricName: `${NAME}_count`, labels: entry.labels, value: entry.count },
  );
  return values;
}
