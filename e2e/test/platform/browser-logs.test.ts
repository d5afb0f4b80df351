import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Router, createFormatter, type RouteTarget } from '@bundle/platform';
import { allocateTestDatabase } from '@bundle/kit/testing';
import { buildAll, startChat, type Chat, type WebApp } from './chat-apps';

/**
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

describe('the browser journey behind the router', () => {
  test('when a person registers, logs in, chats live and logs out in Chromium, then no log line of the router or any app carries a JWT', async () => {
    if (!chat || !router) throw new Error('the apps or the router did not start (see beforeAll)');
    const [browser] = journeys;
    await browser!.run({ client: createClient(`http://localhost:${router.port}`), resultsDir: join(scratch!, 'results'), log: () => undefined });

    // Every stream ends (push ends them on SIGTERM) and the router writes their lines.
    await chat.group.stop();
    await router.close();
    const appLines = [...chat.group.members.values()].flatMap((member) => [...member.stdout, ...member.stderr].map((line) => `${member.spec.name}: ${line}`));
    const streamLines = routerLines.filter((line) => line.includes('/api/events'));
    expect(streamLines.length).toBeGreaterThan(0); // the journey's streams went through the router
    expect([...routerLines, ...appLines].filter((line) => JWT.test(line))).toEqual([]);
  });
});
