// The local console's page (served by the supervisor, packages/platform/src/local/console/):
// polls the JSON under /api/ with the token the URL's fragment carries, and draws what it
// gets with textContent only (log lines and paths are whatever clients sent).
'use strict';

const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get('token')) sessionStorage.setItem('console-token', fragment.get('token'));
const token = sessionStorage.getItem('console-token') ?? '';
let chosen;

async function api(path) {
  const response = await fetch(`/api/${path}`, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  return body;
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells, className) {
  const tr = element('tr', undefined, className);
  for (const cell of cells) tr.append(cell instanceof Node ? cell : element('td', cell));
  return tr;
}

function fill(selector, rows) {
  document.querySelector(selector).replaceChildren(...rows);
}

function problem(text) {
  const node = document.getElementById('problem');
  node.hidden = !text;
  node.textContent = text ?? '';
}

async function refreshStatus() {
  const status = await api('status');
  document.getElementById('space').textContent = status.space;
  const router = document.getElementById('router');
  router.href = status.url;
  router.textContent = status.url;
  const rows = [];
  for (const app of status.apps) {
    for (const process of app.processes) {
      for (const instance of process.details) {
        const memory = instance.memory_mb === undefined ? '' : `${instance.memory_mb} / ${instance.memory_quota_mb} MB`;
        rows.push(
          row([
            app.name,
            process.type,
            instance.index,
            element('td', instance.state, `state-${instance.state}`),
            element('td', instance.ready ? 'yes' : 'no', instance.ready ? '' : 'bad'),
            instance.port,
            memory,
            instance.restarts,
            instance.version,
            instance.since,
          ]),
        );
      }
    }
  }
  fill('#apps tbody', rows);
}

async function refreshRequests() {
  const { requests } = await api('requests?limit=100');
  document.getElementById('no-requests').hidden = requests.length > 0;
  fill(
    '#requests tbody',
    requests.map((request) => {
      const tr = row(
        [
          new Date(request.start).toLocaleTimeString(),
          request.method ?? '',
          request.route ?? request.name,
          request.path ?? '',
          element('td', request.status ?? '', request.error || request.status >= 500 ? 'bad' : ''),
          request.durationMs.toFixed(1),
          request.service,
          request.spans,
          request.requestId ?? '',
        ],
        request.traceId === chosen?.traceId ? 'chosen' : '',
      );
      tr.dataset.traceId = request.traceId;
      tr.addEventListener('click', () => void open(request));
      return tr;
    }),
  );
}

/** The spans as a tree, in time order, each with its depth. */
function ordered(spans) {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map();
  const roots = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId))
      children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
    else roots.push(span);
  }
  const rows = [];
  const visit = (span, depth) => {
    rows.push({ span, depth });
    for (const child of (children.get(span.spanId) ?? []).sort((a, b) => a.start - b.start)) visit(child, depth + 1);
  };
  for (const root of roots.sort((a, b) => a.start - b.start)) visit(root, 0);
  return rows;
}

function drawWaterfall(spans) {
  const rows = ordered(spans);
  const start = Math.min(...spans.map((span) => span.start));
  const total = Math.max(...spans.map((span) => span.end - start), 0.001);
  const detail = document.getElementById('span-detail');
  detail.hidden = true;
  fill(
    '#waterfall',
    rows.map(({ span, depth }) => {
      const line = element('div', undefined, 'span-row');
      line.setAttribute('role', 'listitem');
      line.dataset.spanId = span.spanId;
      const name = element('div', undefined, 'span-name');
      name.style.paddingLeft = `${depth * 1.1}rem`;
      name.append(
        element('span', span.instance === undefined ? span.service : `${span.service}/${span.instance}`, 'service'),
        ` ${span.name}`,
      );
      const track = element('div', undefined, 'span-track');
      const bar = element('div', undefined, `span-bar${span.status?.code === 2 ? ' error' : ''}`);
      bar.style.left = `${((span.start - start) / total) * 100}%`;
      bar.style.width = `${((span.end - span.start) / total) * 100}%`;
      track.append(bar);
      line.append(name, track, element('div', `${(span.end - span.start).toFixed(2)} ms`, 'span-ms'));
      line.addEventListener('click', () => {
        detail.hidden = false;
        detail.textContent = JSON.stringify(span, null, 2);
      });
      return line;
    }),
  );
}

async function open(request) {
  chosen = request;
  document.getElementById('detail').hidden = false;
  document.getElementById('detail-id').textContent = request.requestId ?? request.traceId;
  document.getElementById('trace-id').textContent = request.traceId;
  for (const tr of document.querySelectorAll('#requests tbody tr')) tr.classList.toggle('chosen', tr.dataset.traceId === request.traceId);
  const [{ spans }, logs] = await Promise.all([
    api(`traces/${encodeURIComponent(request.traceId)}`),
    request.requestId ? api(`logs?request=${encodeURIComponent(request.requestId)}`) : Promise.resolve({ records: [] }),
  ]);
  drawWaterfall(spans);
  fill(
    '#logs tbody',
    logs.records.map((record) => row([record.time, record.app, record.source, element('td', record.line, 'line')])),
  );
  document.getElementById('detail').scrollIntoView({ block: 'nearest' });
}

async function refreshRoutes() {
  const { apps } = await api('routes');
  const blocks = apps.map(({ app, routes }) => {
    const block = element('div', undefined, 'routes-app');
    block.append(element('h3', app));
    if (!routes) {
      block.append(element('p', 'no OpenAPI document (or no ready instance to ask)', 'muted'));
      return block;
    }
    const table = element('table');
    table.append(...routes.map((route) => row([route.method, route.path, route.summary ?? ''])));
    block.append(table);
    return block;
  });
  document.getElementById('routes').replaceChildren(...blocks);
}

async function refresh() {
  try {
    await Promise.all([refreshStatus(), refreshRequests()]);
    document.getElementById('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
    problem();
  } catch (error) {
    problem(error.message);
  }
}

document.getElementById('close').addEventListener('click', () => {
  chosen = undefined;
  document.getElementById('detail').hidden = true;
});
void refresh();
void refreshRoutes().catch((error) => problem(error.message));
setInterval(() => void refresh(), 2000);
