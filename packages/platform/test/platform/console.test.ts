/**
 * The local console in Chromium (playwright-core, as e2e's browser journey drives it): the
 * page lists the apps and instances, the recent requests; a request opens its trace waterfall
 * and its log lines; each app's routes come from its OpenAPI document. The data is a store of
 * spans the way the receiver fills it. A screenshot stays in test-results/console/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startConsole, type ConsoleData, type ConsoleServer } from '../../src/local/console/server';
import type { LogRecord } from '../../src/local/log-record';
import type { StoredSpan } from '../../src/local/telemetry/spans';
import { TraceStore } from '../../src/local/telemetry/trace-store';
import { ROOT } from './helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RESULTS = join(ROOT, 'test-results', 'console');
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const REQUEST = 'console-test-request-0001';

const span = (spanId: string, fields: Partial<StoredSpan>): StoredSpan => ({
  traceId: TRACE,
  spanId,
  name: '',
  kind: 1,
  start: 1_796_688_521_000,
  end: 1_796_688_521_001,
  service: 'tokens',
  instance: '0',
  scope: '@bundle/kit',
  attributes: {},
  links: [],
  ...fields,
});

const at = 1_796_688_521_000;
const login: StoredSpan[] = [
  span('a000000000000001', {
    name: 'POST /api/tokens',
    kind: 2,
    service: 'router',
    start: at,
    end: at + 42,
    attributes: { request_id: REQUEST, 'http.request.method': 'POST', 'url.path': '/api/tokens', 'http.response.status_code': 200 },
  }),
  span('b000000000000002', {
    parentSpanId: 'a000000000000001',
    name: 'POST /api/tokens',
    kind: 2,
    start: at + 1,
    end: at + 40,
    attributes: { request_id: REQUEST, 'http.route': '/api/tokens', 'http.response.status_code': 200 },
  }),
  span('c000000000000003', { parentSpanId: 'b000000000000002', name: 'POST', kind: 3, start: at + 3, end: at + 36 }),
  span('d000000000000004', {
    parentSpanId: 'c000000000000003',
    name: 'POST /api/users/internal/credentials/verify',
    kind: 2,
    service: 'users',
    start: at + 5,
    end: at + 34,
    attributes: { request_id: REQUEST },
  }),
  span('e000000000000005', { parentSpanId: 'd000000000000004', name: 'hgetall', kind: 3, service: 'users', start: at + 6, end: at + 7 }),
];

const logs: LogRecord[] = [
  {
    time: '2026-12-08T10:00:00.001Z',
    app: 'router',
    source: 'RTR/0',
    stream: 'OUT',
    line: `POST /api/tokens 200 x_request_id:"${REQUEST}"`,
  },
  {
    time: '2026-12-08T10:00:00.030Z',
    app: 'users',
    source: 'APP/PROC/WEB/0',
    stream: 'OUT',
    line: `{"level":"info","msg":"request","request_id":"${REQUEST}","trace_id":"${TRACE}","span_id":"d000000000000004"}`,
  },
];

let server: ConsoleServer;
let browser: Browser;

beforeAll(async () => {
  const store = new TraceStore();
  store.add(login);
  const instance = (index: number, state: string) => ({
    index,
    state,
    ready: state === 'RUNNING',
    port: 41000 + index,
    pid: 100 + index,
    version: '1.2.3',
    since: '2026-12-08T10:00:00Z',
    memory_mb: 42,
    memory_quota_mb: 128,
    restarts: state === 'RUNNING' ? 0 : 2,
    crashes: 0,
  });
  const data: ConsoleData = {
    space: 'console-test',
    status: () => ({
      space: 'console-test',
      url: 'http://localhost:8080',
      apps: [
        { name: 'tokens', routes: [], processes: [{ type: 'web', instances: 1, running: 1, details: [instance(0, 'RUNNING')] }] },
        {
          name: 'users',
          routes: [],
          processes: [{ type: 'web', instances: 2, running: 1, details: [instance(0, 'RUNNING'), instance(1, 'CRASHED')] }],
        },
      ],
    }),
    requests: (limit) => store.recent(limit),
    trace: (id) => store.find(id),
    logs: (requestId) => logs.filter((record) => record.line.includes(requestId)),
    routes: async () => [
      { app: 'tokens', routes: [{ method: 'POST', path: '/api/tokens', summary: 'Log in' }] },
      { app: 'users', routes: undefined },
    ],
  };
  server = await startConsole(data);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the local console', () => {
  test("when the page is opened with the URL of the start block, then it shows the instances, the requests, a request's waterfall and lines, and the routes", async () => {
    expect(existsSync(CHROMIUM)).toBe(true);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(server.url);
    await page.waitForSelector('#apps tbody tr');
    expect(await page.locator('#space').textContent()).toBe('console-test');
    expect(await page.locator('#apps tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/^tokens\tweb\t0\tRUNNING\tyes\t41000\t42 \/ 128 MB\t0\t1\.2\.3/),
      expect.stringMatching(/^users\tweb\t0\tRUNNING/),
      expect.stringMatching(/^users\tweb\t1\tCRASHED\tno\t41001\t42 \/ 128 MB\t2/),
    ]);
    const requests = page.locator('#requests tbody tr');
    expect(await requests.count()).toBe(1);
    expect(await requests.first().innerText()).toMatch(
      new RegExp(`POST\\t/api/tokens\\t/api/tokens\\t200\\t42\\.0\\trouter\\t5\\t${REQUEST}$`),
    );

    await requests.first().click();
    await page.waitForSelector('#waterfall .span-row');
    const rows = await page.locator('#waterfall .span-name').allInnerTexts();
    expect(rows.map((row) => row.trim())).toEqual([
      'router/0 POST /api/tokens',
      'tokens/0 POST /api/tokens',
      'tokens/0 POST',
      'users/0 POST /api/users/internal/credentials/verify',
      'users/0 hgetall',
    ]);
    // Each a level deeper than its parent.
    const indents = await page
      .locator('#waterfall .span-name')
      .evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).style.paddingLeft));
    expect(indents).toEqual(['0rem', '1.1rem', '2.2rem', '3.3rem', '4.4rem']);
    expect(await page.locator('#logs tbody tr').count()).toBe(2);
    expect(await page.locator('#trace-id').textContent()).toBe(TRACE);

    await page.locator('#waterfall .span-row').nth(3).click();
    expect(JSON.parse((await page.locator('#span-detail').textContent()) ?? '{}')).toMatchObject({
      service: 'users',
      spanId: 'd000000000000004',
    });

    expect(await page.locator('#routes').innerText()).toMatch(/tokens\s+POST\s+\/api\/tokens\s+Log in\s+users\s+no OpenAPI document/);
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: join(RESULTS, 'console.png'), fullPage: true });
    expect(existsSync(join(RESULTS, 'console.png'))).toBe(true);
  });

  test('when the JSON is asked without the token, then 401, and the page itself holds no data', async () => {
    const base = server.url.replace(/#.*$/, '');
    expect((await fetch(`${base}api/requests`)).status).toBe(401);
    expect((await fetch(`${base}api/requests`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const page = await fetch(base);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'self'; frame-ancestors 'none'");
    expect(await page.text()).not.toContain(REQUEST);
  });
});
