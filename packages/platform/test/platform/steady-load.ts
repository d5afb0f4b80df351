import { http } from './helpers';

/** One kind of request in the mix; `weight` is its share of the rate. */
export interface RequestKind {
  name: string;
  weight: number;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: () => string;
}

export interface KindCounts {
  sent: number;
  /** 2xx and 3xx. */
  ok: number;
  /** 4xx: the app answered, but not as the test expected. */
  rejected: number;
  /** 5xx (router or app). */
  failed: number;
  /** The connection broke: no answer at all. */
  broken: number;
}

export interface SteadyLoadResult {
  byKind: Record<string, KindCounts>;
  total: KindCounts;
  /** Ticks due while `maxInFlight` requests were already waiting: not sent, so the load stays bounded. */
  skipped: number;
  seconds: number;
  /** The first few failures (status, body or error), for the message when an assertion fails. */
  samples: string[];
}

export interface SteadyLoadOptions {
  /** Requests per second, over every kind. */
  rate: number;
  maxInFlight: number;
  /** A hard bound on the requests sent, whatever happens to `until`. */
  max: number;
}

const zero = (): KindCounts => ({ sent: 0, ok: 0, rejected: 0, failed: 0, broken: 0 });

/**
 * A fixed-rate load through the router until `until` settles: request i goes out at
 * i / rate seconds (a slow tick sends what fell due, never more than `maxInFlight` are
 * waiting at once, and at most `max` go out in all), kinds taken in turn by weight.
 * Resolves once every request sent has its answer.
 */
export async function steadyLoad(
  port: number,
  kinds: RequestKind[],
  until: Promise<unknown>,
  options: SteadyLoadOptions,
): Promise<SteadyLoadResult> {
  const byKind: Record<string, KindCounts> = Object.fromEntries(kinds.map((kind) => [kind.name, zero()]));
  const schedule = kinds.flatMap((kind) => Array.from({ length: kind.weight }, () => kind));
  const result: SteadyLoadResult = { byKind, total: zero(), skipped: 0, seconds: 0, samples: [] };
  const pending = new Set<Promise<void>>();
  let due = 0;
  let done = false;
  void until.then(
    () => (done = true),
    () => (done = true),
  );
  const started = Date.now();

  const send = (kind: RequestKind): void => {
    const counts = byKind[kind.name] ?? zero();
    counts.sent += 1;
    const count = (field: keyof KindCounts, sample?: string): void => {
      counts[field] += 1;
      result.total[field] += 1;
      if (sample && result.samples.length < 20) result.samples.push(`${kind.name}: ${sample}`);
    };
    const request = http(port, kind.path, { method: kind.method ?? 'GET', headers: kind.headers, body: kind.body?.() }).then(
      (reply) => {
        if (reply.status < 400) count('ok');
        else if (reply.status < 500) count('rejected', `${reply.status} ${reply.body.slice(0, 160)}`);
        else count('failed', `${reply.status} ${reply.body.slice(0, 160)}`);
      },
      (error: Error) => count('broken', error.message),
    );
    const tracked = request.finally(() => pending.delete(tracked));
    pending.add(tracked);
  };

  while (!done && due < options.max) {
    const target = Math.min(options.max, Math.floor(((Date.now() - started) * options.rate) / 1000));
    for (; due < target; due += 1) {
      if (pending.size >= options.maxInFlight) {
        result.skipped += 1;
        continue;
      }
      const kind = schedule[due % schedule.length];
      if (kind) send(kind);
    }
    result.total.sent = due - result.skipped;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  result.seconds = (Date.now() - started) / 1000;
  await Promise.all(pending);
  return result;
}

/** One line per kind: `GET /: 812 sent, 812 ok, 0 rejected, 0 failed, 0 broken`. */
export function describeLoad(what: string, result: SteadyLoadResult): string {
  const line = (name: string, counts: KindCounts): string =>
    `  ${name}: ${counts.sent} sent, ${counts.ok} ok, ${counts.rejected} rejected (4xx), ${counts.failed} failed (5xx), ${counts.broken} broken`;
  return [
    `${what}: ${result.total.sent} requests in ${result.seconds.toFixed(1)} s (${(result.total.sent / result.seconds).toFixed(0)}/s), ${result.skipped} skipped at the in-flight bound`,
    ...Object.entries(result.byKind).map(([name, counts]) => line(name, counts)),
    line('all', result.total),
  ].join('\n');
}
