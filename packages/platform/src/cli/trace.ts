import { controlJson } from '../local/control';
import type { StoredSpan } from '../local/telemetry/spans';
import { renderWaterfall } from '../local/telemetry/waterfall';
import { dataDirOf, fail } from './common';

/** A trace id (32 hex digits) or a request id as the kit keeps one (20 to 200 of [A-Za-z0-9+/=-]). */
export const TRACE_OR_REQUEST_ID = /^([0-9a-f]{32}|[A-Za-z0-9+/=-]{20,200})$/;

/** What scripts/trace was asked for (scripts/commands/trace.js parses and checks it). */
export interface TraceArgs {
  space: string;
  id: string;
  json: boolean;
}

/**
 * scripts/trace <space> <request-id|trace-id>: one request's spans, from the router and every
 * app, as a waterfall (the supervisor's trace store, GET /traces/<id> on its control socket);
 * --json prints the spans. Exits 1 with one line when the space is not running or the trace
 * is not (or no longer) kept.
 */
export async function main(args: TraceArgs): Promise<void> {
  const answer = await controlJson<{ spans?: StoredSpan[]; error?: { message?: string } }>(
    dataDirOf(args.space),
    'GET',
    `/traces/${encodeURIComponent(args.id)}`,
  ).catch((error: Error) => fail('trace', error.message));
  if (answer.status !== 200 || !answer.body.spans) {
    fail('trace', answer.body.error?.message ?? `the supervisor answered ${answer.status}`);
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify(answer.body.spans, null, 2)}\n`);
    return;
  }
  const terminal = process.stdout.isTTY === true;
  const width = terminal ? Math.max(20, Math.min(60, (process.stdout.columns ?? 120) - 80)) : 40;
  process.stdout.write(renderWaterfall(answer.body.spans, { width, color: terminal }));
}
