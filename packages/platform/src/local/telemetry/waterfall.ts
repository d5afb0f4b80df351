import { SPAN_KIND, type StoredSpan } from './spans';

/** One row of a waterfall: a span, its depth in the tree and where it sits in time. */
export interface WaterfallRow {
  span: StoredSpan;
  depth: number;
  /** From the trace's first span, in milliseconds. */
  offsetMs: number;
  durationMs: number;
  /** Names of the spans it links to (a delivery pass to the request that published). */
  links: string[];
}

/**
 * The spans of one trace as a tree, in time order: each span under its parent, children by
 * start; a span whose parent is not kept (the caller's span of an incoming traceparent, or
 * one evicted) sits at the top.
 */
export function waterfallRows(spans: StoredSpan[]): WaterfallRow[] {
  if (spans.length === 0) return [];
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const children = new Map<string, StoredSpan[]>();
  const roots: StoredSpan[] = [];
  for (const span of spans) {
    if (span.parentSpanId && byId.has(span.parentSpanId) && span.parentSpanId !== span.spanId) {
      const list = children.get(span.parentSpanId) ?? [];
      list.push(span);
      children.set(span.parentSpanId, list);
    } else roots.push(span);
  }
  const start = Math.min(...spans.map((span) => span.start));
  const rows: WaterfallRow[] = [];
  const visit = (span: StoredSpan, depth: number): void => {
    rows.push({
      span,
      depth,
      offsetMs: span.start - start,
      durationMs: span.end - span.start,
      links: span.links.map((link) => byId.get(link.spanId)?.name ?? `${link.traceId.slice(0, 8)}/${link.spanId.slice(0, 8)}`),
    });
    for (const child of (children.get(span.spanId) ?? []).sort((a, b) => a.start - b.start)) visit(child, depth + 1);
  };
  for (const root of roots.sort((a, b) => a.start - b.start)) visit(root, 0);
  return rows;
}

const KIND_NAMES: Record<number, string> = {
  [SPAN_KIND.SERVER]: 'server',
  [SPAN_KIND.CLIENT]: 'client',
  [SPAN_KIND.PRODUCER]: 'producer',
  [SPAN_KIND.CONSUMER]: 'consumer',
};

/**
 * A waterfall for a terminal, one line a span: offset and duration, a bar on a shared time
 * scale, the service (and instance), the span's name indented by depth, its status when an
 * error. `width` is the bar's, in characters.
 */
export function renderWaterfall(spans: StoredSpan[], options: { width?: number; color?: boolean } = {}): string {
  const rows = waterfallRows(spans);
  if (rows.length === 0) return '';
  const width = options.width ?? 40;
  const total = Math.max(...rows.map((row) => row.offsetMs + row.durationMs), 0.001);
  const services = new Set(rows.map((row) => row.span.service));
  const first = rows[0]!.span;
  const requestId = rows.map((row) => row.span.attributes.request_id).find((value) => typeof value === 'string');
  const header =
    `trace ${first.traceId}${requestId ? `  request ${requestId}` : ''}  ${format(total)} ms, ` +
    `${rows.length} span${rows.length === 1 ? '' : 's'}, ${services.size} service${services.size === 1 ? '' : 's'}`;
  const who = (span: StoredSpan): string => (span.instance !== undefined ? `${span.service}/${span.instance}` : span.service);
  const whoWidth = Math.max(...rows.map((row) => who(row.span).length));
  const red = (text: string): string => (options.color ? `\u001b[31m${text}\u001b[0m` : text);
  const lines = rows.map((row) => {
    const from = Math.min(width - 1, Math.floor((row.offsetMs / total) * width));
    const length = Math.max(1, Math.round((row.durationMs / total) * width));
    const bar = `${' '.repeat(from)}${'█'.repeat(Math.min(length, width - from))}`.padEnd(width);
    const kind = KIND_NAMES[row.span.kind];
    const error = row.span.status?.code === 2 ? red(`  ERROR${row.span.status.message ? ` ${row.span.status.message}` : ''}`) : '';
    const links = row.links.length > 0 ? `  (linked to ${row.links.join(', ')})` : '';
    return (
      `${format(row.offsetMs).padStart(9)} ms ${format(row.durationMs).padStart(9)} ms |${bar}| ` +
      `${who(row.span).padEnd(whoWidth)}  ${'  '.repeat(row.depth)}${row.span.name}${kind ? ` [${kind}]` : ''}${error}${links}`
    );
  });
  return `${header}\n${lines.join('\n')}\n`;
}

function format(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}
