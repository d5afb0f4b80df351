import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Router, createFormatter, type RouteTarget } from '@bundle/platform';
import { allocateTestDatabase } from '@bundle/kit/testing';
import { buildAll, startChat, type Chat, type WebApp } from './chat-apps';

/**
 * Tokens across the real apps behind the local platform's router. A stream ends when its
 * token is revoked (tokens publishes token.revoked, push reads it from the bus).
 *
 * No credential in a URL, and so none in any log: the browser journey (real Chromium)
 * runs against the chat's five apps behind the local platform's router, which writes
 * gorouter-style access lines with the whole request line, query included, as routers on
 * the way do. Then every line the router and the apps wrote is searched for a JWT.
 */
const { journeys } = require('../../src/journeys/browser.js') as { journeys: Array<{ run(context: unknown): Promise<void> }> };
const { createClient } = require('../../src/http.js') as { createClient(base: string): unknown };

const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;
const ROUTES: Array<[path: string, app: WebApp]> = [
  ['', 'ui'],
  ['/api/users', 'users'],
  ['/api/tokens', 'tokens'],
  ['/.well-known', 'tokens'],
  ['/api/messages', 'messages'],
  ['/api/events', 'push'],
];

let chat: Chat | undefined;
let router: Router | undefined;
let scratch: string | undefined;
const routerLines: string[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'browser-logs-'));
  const clientDir = join(scratch, 'client');
  buildAll(clientDir);
  chat = await startChat({ redisUrl: await allocateTestDatabase(), clientDir });
  const ports = Object.fromEntries(Object.entries(chat.url).map(([app, url]) => [app, Number(new URL(url).port)]));
  const format = createFormatter({ pretty: false, color: false });
  const routes: RouteTarget[] = ROUTES.map(([path, app]) => ({ host: 'localhost', path, app }));
  router = new Router({
    port: 0,
    routes,
    defaultHost: 'localhost',
    pool: (app) => [{ id: app, app, index: 0, port: ports[app] ?? 0 }],
    log: (record) => void routerLines.push(format(record)),
  });
  await router.listen();
});

afterAll(async () => {
  await chat?.group.stop();
  await router?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://localhost:${router!.port}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

describe('a stream and its token, across the apps', () => {
  test('when the user logs out (DELETE /api/tokens), then push ends the open stream, and the token opens no new one', async () => {
    const nickname = `out_${Date.now().toString(36)}`;
    const password = `pw-${Math.random().toString(36).slice(2)}-x`;
    expect(
      (
        await call('/api/users', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ nickname, password }),
        })
      ).status,
    ).toBe(201);
    const login = await call('/api/tokens', {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${nickname}:${password}`).toString('base64')}` },
    });
    const auth = { Authorization: `Bearer ${login.body.access_token as string}` };
    const stream = await fetch(`http://localhost:${router!.port}/api/events`, { headers: { ...auth, Accept: 'text/event-stream' } });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read(); // the retry line: the stream is open

    expect((await call('/api/tokens', { method: 'DELETE', headers: auth })).status).toBe(204);

    // The stream runs to its end: push closed it (a read that never ends would time the test out).
    while (!(await reader.read()).done);
    const again = await call('/api/events', { headers: auth });
    expect({ status: again.status, message: (again.body.error as { message?: string }).message }).toEqual({
      status: 401,
      message: 'the token has been revoked',
    });
  });
});

describe("the page's stream when the connection drops", () => {
  test('when every connection to the router is cut, then the page reconnects with Last-Event-ID and shows the message sent meanwhile, once', async () => {
    const base = `http://localhost:${router!.port}`;
    const account = async (prefix: string) => {
      const nickname = `${prefix}_${Date.now().toString(36)}`;
      const password = `pw-${Math.random().toString(36).slice(2)}-x`;
      await call('/api/users', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ nickname, password }),
      });
      const login = await call('/api/tokens', {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from(`${nickname}:${password}`).toString('base64')}` },
      });
      return { nickname, password, token: login.body.access_token as string };
    };
    const [ann, bob] = [await account('ann'), await account('bob')];
    // Straight to the messages app: the cut below must not touch the test's own connections.
    const post = (text: string) =>
      fetch(`${chat!.url.messages}/api/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ann.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ text }),
      });
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      const opens: Array<string | undefined> = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/api/events') opens.push(request.headers()['last-event-id']);
      });
      await page.goto(base);
      await page.fill('[data-testid="login-nickname"]', bob.nickname);
      await page.fill('[data-testid="login-password"]', bob.password);
      await page.click('[data-testid="login-submit"]');
      await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
      const before = `before the cut ${Date.now()}`;
      await post(before);
      await page.locator('[data-testid="message"]').filter({ hasText: before }).waitFor();

      router!.server.closeAllConnections();
      const during = `while cut off ${Date.now()}`;
      expect((await post(during)).status).toBe(201);

      await page.locator('[data-testid="message"]').filter({ hasText: during }).waitFor();
      await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
      expect(opens[0]).toBeUndefined();
      expect(opens.slice(1).some((id) => id !== undefined && /^\d+-\d+$/.test(id))).toBe(true);
      expect(await page.locator('[data-testid="message"]').filter({ hasText: during }).count()).toBe(1);
    } finally {
      await browser.close();
    }
  });
});

describe('the browser journey behind the router', () => {
  test('when a person registers, logs in, chats live and logs out in Chromium, then no log line of the router or any app carries a JWT', async () => {
    if (!chat || !router) throw new Error('the apps or the router did not start (see beforeAll)');
    const [browser] = journeys;
    await browser!.run({
      client: createClient(`http://localhost:${router.port}`),
      resultsDir: join(scratch!, 'results'),
      log: () => undefined,
    });

    // Every stream ends (push ends them on SIGTERM) and the router writes their lines.
    await chat.group.stop();
    await router.close();
    const appLines = [...chat.group.members.values()].flatMap((member) =>
      [...member.stdout, ...member.stderr].map((line) => `${member.spec.name}: ${line}`),
    );
    const streamLines = routerLines.filter((line) => line.includes('/api/events'));
    expect(streamLines.length).toBeGreaterThan(0); // the journey's streams went through the router
    expect([...routerLines, ...appLines].filter((line) => JWT.test(line))).toEqual([]);
  });
});
