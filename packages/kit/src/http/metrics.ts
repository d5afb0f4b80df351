import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  observe(route: string, method: string, status: number, seconds: number): void;
}

/**
 * One registry per app (not prom-client's global one), so two apps in one test process
 * never collide. Routes are labelled by template ("/api/users/:id"), never by path, so
 * label cardinality stays bounded.
 */
export function createHttpMetrics(collectProcessMetrics = true): HttpMetrics {
  const registry = new Registry();
  if (collectProcessMetrics) collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // One labelled child per route/method/status, made once: prom-client would otherwise
  // hash the label object on every request.
  const children = new Map<string, { observe(value: number): void }>();
  return {
    registry,
    observe: (route, method, status, seconds) => {
      const key = `${route} ${method} ${status}`;
      let child = children.get(key);
      if (child === undefined) {
        child = duration.labels({ route, method, status: String(status) });
        children.set(key, child);
      }
      child.observe(seconds);
    },
  };
}
