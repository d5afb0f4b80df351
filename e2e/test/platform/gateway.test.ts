import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocateTestDatabase } from '@bundle/kit/testing';
import { buildAll, ROOT } from './chat-apps';
import { EventStream } from './event-stream';
import { envFile, ForemanRun, freePortBlock, PROCESS_TYPES, WEB_APPS } from './foreman-run';

/**
 * The Heroku gateway's own config (heroku/gateway/config/nginx.conf.erb) run by Debian's
 * nginx (`scripts/gateway local`) in front of the Procfile under @heroku/foreman, the way a
 * Heroku gateway app stands in front of the apps: every journey passes through it, browser
 * included; a stream it drops resumes exactly; a stream whose client goes frees the app's
 * side; the request id, the apps' headers and the limits arrive as the apps would have them.
 */

const NGINX = spawnSync('/usr/sbin/nginx', ['-v'], { encoding: 'utf8' }).stderr.trim();

/** `scripts/gateway local` in a process group of its own, its output kept. */
class Gateway {
  readonly out: string[] = [];
  readonly err: string[] = [];
  private child: ChildProcess | undefined;
  port = 0;

  get process(): ChildProcess | undefined {
    return this.child;
  }

  async start(base: number, port?: number): Promise<number> {
    this.child = spawn(join(ROOT, 'scripts', 'gateway'), ['local', '--base', String(base), ...(port ? ['--port', String(port)] : [])], {
      cwd: ROOT,
      detached: true,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = this.child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => this.err.push(...chunk.split('\n').filter(Boolean)));
    child.stdout?.setEncoding('utf8');
    let partial = '';
    return new Promise((resolve, reject) => {
      child.stdout?.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        this.out.push(...lines);
        const address = this.out.map((line) => /^gateway: http:\/\/127\.0\.0\.1:(\d+) /.exec(line)?.[1]).find(Boolean);
        if (address) resolve((this.port = Number(address)));
      });
      child.once('exit', (code) => reject(new Error(`scripts/gateway exited (${code}):\n${this.err.slice(-10).join('\n')}`)));
    });
  }

  /** Its access lines (JSON, one per request). */
  accessLines(): { status: number; request_id: string; path: string }[] {
    return this.out
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { status: number; request_id: string; path: string });
  }

  /** What Ctrl-C does: SIGINT to the group; resolves with the command's exit code. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    const exited = once(child, 'exit');
    process.kill(-(child.pid as number), 'SIGINT');
    const [code] = (await exited) as [number | null];
    return code;
  }
}

/** Whether any process of a group is left. */
function groupLeft(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

let workDir = '';
let clientDir = '';
const run = new ForemanRun();
const gateway = new Gateway();
let base = 0;
let url = '';

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'gateway-test-'));
  clientDir = join(workDir, 'public');
  buildAll(clientDir);
  base = await freePortBlock();
  await run.start(envFile(join(workDir, 'env'), { redisUrl: await allocateTestDatabase(), clientDir }), ['-p', String(base)]);
  url = `http://127.0.0.1:${await gateway.start(base)}`;
}, 180_000);

afterAll(async () => {
  await gateway.stop();
  run.kill();
  rmSync(workDir, { recursive: true, force: true });
});

const appUrl = (app: string) => `http://127.0.0.1:${base + 100 * PROCESS_TYPES.indexOf(app)}`;

async function account(prefix: string): Promise<{ nickname: string; token: string }> {
  const nickname = `${prefix}${randomUUID().slice(0, 8)}`;
  const password = `pw-${randomUUID()}`;
  const signUp = await fetch(`${url}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nickname, password }),
  });
  expect(signUp.status).toBe(201);
  const login = await fetch(`${url}/api/tokens`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${nickname}:${password}`).toString('base64')}` },
  });
  return { nickname, token: ((await login.json()) as { access_token: string }).access_token };
}

describe(`the Heroku gateway's config in ${NGINX} in front of the Procfile`, () => {
  test('every journey passes through it, the browser journey included', async () => {
    const appUrls = WEB_APPS.map((app) => `${app}=${appUrl(app)}`).join(',');
    const journeys = spawnSync(process.execPath, ['e2e/src/run.js', url, '--app-url', appUrls, '--results', join(workDir, 'results')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 100_000,
    });
    const report = `${journeys.stdout}${journeys.stderr}`;
    expect({ status: journeys.status, failed: report.split('\n').filter((line) => line.includes('FAIL')) }).toEqual({
      status: 0,
      failed: [],
    });
    expect(report).toMatch(/e2e: 7 passed, 0 failed/);
    // They went through nginx: its access lines name every prefix they use (the apps fetch the
    // JWKS on their own, through the Procfile's router: .env.example's JWKS_URL).
    const prefixes = ['/api/users', '/api/tokens', '/api/messages', '/api/events', '/'];
    const seen = () => prefixes.filter((prefix) => gateway.accessLines().some((line) => line.path.startsWith(prefix)));
    await until(() => seen().length === prefixes.length);
    expect(seen()).toEqual(prefixes);
  });

  test('each public prefix reaches the app manifest.yml routes it to (the access line with its request id)', async () => {
    const prefixes: [string, string][] = [
      ['/', 'ui'],
      ['/.well-known/jwks.json', 'tokens'],
      ['/api/users/no-such-user', 'users'],
      ['/api/tokens/current', 'tokens'],
      ['/api/messages', 'messages'],
      ['/api/events', 'push'],
    ];
    const reached: [string, string][] = [];
    for (const [path, app] of prefixes) {
      const requestId = `route-${randomUUID()}`;
      const response = await fetch(`${url}${path}`, { headers: { 'x-request-id': requestId } });
      await response.arrayBuffer();
      expect((await linesWith(run, app, [requestId]))[0]).toBe(true);
      reached.push([path, app]);
    }
    expect(reached).toEqual(prefixes);
  });

  test("when the client's X-Request-Id is sane, the app logs that id; when not, the gateway's own, which it logs too", async () => {
    const sane = `gw-${randomUUID()}`;
    await fetch(`${url}/api/users/no-such-user`, { headers: { 'x-request-id': sane } });
    await fetch(`${url}/api/users/no-such-user-either`, { headers: { 'x-request-id': 'short' } });
    const lineOf = () => gateway.accessLines().find((line) => line.path === '/api/users/no-such-user-either');
    await until(() => lineOf() !== undefined);
    const made = lineOf()?.request_id ?? '';

    expect(made).toMatch(/^[0-9a-f]{32}$/);
    const usersLines = await linesWith(run, 'users', [sane, made]);
    expect(usersLines).toEqual([true, true]);
  });

  test("the ui's security headers arrive as the ui sets them", async () => {
    const direct = await fetch(`${appUrl('ui')}/`);
    const through = await fetch(`${url}/`);
    const hopOrPerRequest = ['date', 'server', 'connection', 'keep-alive', 'transfer-encoding', 'x-request-id'];
    const own = (response: Response) => {
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (!hopOrPerRequest.includes(name)) headers[name] = value;
      });
      return headers;
    };

    expect(through.status).toBe(200);
    expect(own(through)).toEqual(own(direct));
    expect(own(through)).toHaveProperty('content-security-policy');
  });

  test('a header line as long as the apps take passes, a longer one is refused; a body under 1 MiB reaches the app, one over is refused', async () => {
    const header = (bytes: number) => ({ 'x-padding': 'a'.repeat(bytes) });
    expect((await fetch(`${url}/api/users/no-such-user`, { headers: header(15_000) })).status).toBe(404);
    expect((await fetch(`${url}/api/users/no-such-user`, { headers: header(17_000) })).status).toBe(400);
    const post = (bytes: number) =>
      fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(bytes) });
    const small = await post(500_000);
    expect([small.status, ((await small.json()) as { error?: { code?: string } }).error?.code]).toEqual([401, expect.any(String)]);
    expect((await post(1_100_000)).status).toBe(413);
  });

  test('a path with a dot segment is refused, not routed by one form and read by the app in another', async () => {
    const status = await rawStatus('/api/users/../messages');
    expect(status).toBe(400);
  });

  test('when the gateway drops an open stream, then the client reconnects through it with Last-Event-ID and gets what it missed, once', async () => {
    const { token } = await account('gw');
    const stream = await EventStream.open(url, token);
    try {
      // Straight to the messages app: the gateway is down in between.
      const post = async (text: string) => {
        const response = await fetch(`${appUrl('messages')}/api/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ text }),
        });
        expect(response.status).toBe(201);
        return ((await response.json()) as { id: string }).id;
      };
      const before = await post(`before ${randomUUID()}`);
      await stream.waitFor('the first message', (event) => event.data.payload.id === before);
      const port = gateway.port;

      expect(await gateway.stop()).toBe(0);
      const during = await post(`during ${randomUUID()}`);
      await gateway.start(base, port);

      await stream.waitFor('the message sent while the gateway was down', (event) => event.data.payload.id === during, 20_000);
      const created = stream.named('message.created').map((event) => event.data.payload.id);
      expect(created.filter((id) => id === before || id === during)).toEqual([before, during]);
      expect(stream.opens).toBe(2);
    } finally {
      stream.close();
    }
  });

  test("when a client drops its stream, then the push app's side of it ends too (its access line), and nginx's", async () => {
    const { token } = await account('gd');
    const requestId = `drop-${randomUUID()}`;
    await new Promise<void>((resolve, reject) => {
      const request = http.get(
        `${url}/api/events`,
        { headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId, accept: 'text/event-stream' } },
        (response) => {
          // The stream is open at the app (its headers came through): the client goes.
          if (response.statusCode !== 200) return reject(new Error(`GET /api/events: ${response.statusCode}`));
          request.destroy();
          resolve();
        },
      );
      request.once('error', (error) => (request.destroyed ? undefined : reject(error)));
    });

    expect(await linesWith(run, 'push', [requestId])).toEqual([true]);
    await until(() => gateway.accessLines().some((line) => line.request_id === requestId));
    // nginx ended the request too (its status stays the 200 it had sent when the client went).
    expect(gateway.accessLines().find((line) => line.request_id === requestId)?.status).toBe(200);
  });

  test('Ctrl-C stops nginx and leaves nothing: no process, no folder', async () => {
    const command = gateway.process as ChildProcess;
    const nginxPid = Number([...gateway.out.join('\n').matchAll(/\(nginx (\d+),/g)].pop()?.[1]);
    // nginx's prefix: the folder scripts/gateway made for it (-p <folder>/).
    // (its title, "nginx: master process /usr/sbin/nginx -p <folder>/ -c ...", replaces its arguments)
    const folder = /-p (\S+)/.exec(readFileSync(`/proc/${nginxPid}/cmdline`, 'utf8'))?.[1] ?? '';
    expect(existsSync(join(folder, 'nginx.pid'))).toBe(true);

    expect(await gateway.stop()).toBe(0);
    expect({ group: groupLeft(command.pid as number), nginx: alive(nginxPid), folder: existsSync(folder) }).toEqual({
      group: false,
      nginx: false,
      folder: false,
    });
  });
});

/** GET with the path as written (fetch would remove its dot segments); resolves with the status. */
function rawStatus(path: string): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .once('error', reject);
  });
}

/** Resolves once `done()` holds, checked again each time the runner or the gateway prints. */
function until(done: () => boolean): Promise<void> {
  const outputs = [run.process.stdout, gateway.process?.stdout].filter((stream) => stream !== null && stream !== undefined);
  return new Promise((resolve) => {
    const check = (): void => {
      if (!done()) return;
      for (const stream of outputs) stream.off('data', check);
      resolve();
    };
    for (const stream of outputs) stream.on('data', check);
    check();
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** For each id: whether `type`'s output (the runner's) carries an access line with it; waits until all do. */
async function linesWith(foreman: ForemanRun, type: string, ids: string[]): Promise<boolean[]> {
  const has = (id: string) => foreman.linesOf(type).some((line) => line.includes(`"request_id":"${id}"`) && line.includes('"status"'));
  await until(() => ids.every(has));
  return ids.map(has);
}
