/**
 * What an app behind the gateway receives, seen by stub apps that echo it: `scripts/gateway
 * local` (Debian's nginx with heroku/gateway/config/nginx.conf.erb) in front of a Procfile
 * whose lines run the bundle's apps, each a stub here on the port the runner would give its
 * line. One X-Forwarded-For hop appended, the request id passed or made, the scheme the
 * gateway saw; and every response header of the app unchanged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../../../lib/testing/throwaway-repo';

const APPS = ['ui', 'users', 'tokens', 'messages', 'push'];

interface Seen {
  app: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

const seen: Seen[] = [];
let servers: http.Server[] = [];
let dir = '';
let gateway: ChildProcess | undefined;
let url = '';

/** Stubs on base + 100 * line for each app of the Procfile (line 0 is a router nobody asks); another base when a port is taken. */
async function startStubs(): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const probe = http.createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const base = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    if (base + 100 * APPS.length > 65535) continue;
    const started: http.Server[] = [];
    try {
      for (const [index, app] of APPS.entries()) {
        const server = http.createServer((request, response) => {
          seen.push({ app, url: request.url ?? '', headers: request.headers });
          response.writeHead(200, {
            'content-type': 'text/plain',
            'content-security-policy': "default-src 'self'",
            'x-frame-options': 'DENY',
            'strict-transport-security': 'max-age=63072000',
            'x-request-id': String(request.headers['x-request-id']),
          });
          response.end(app);
        });
        server.listen(base + 100 * (index + 1), '127.0.0.1');
        await once(server, 'listening');
        started.push(server);
      }
      servers = started;
      return base;
    } catch {
      // A port of the block was taken meanwhile: another block.
      await Promise.all(started.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  }
  throw new Error('no block of ports for the stub apps');
}

beforeAll(async () => {
  const base = await startStubs();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-headers-'));
  const procfile = path.join(dir, 'Procfile');
  fs.writeFileSync(procfile, ['router: node router.js', ...APPS.map((app) => `${app}: node apps/${app}/dist/main.js`), ''].join('\n'));
  gateway = spawn(path.join(ROOT, 'scripts', 'gateway'), ['local', '--base', String(base)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PROCFILE: procfile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  gateway.stdout?.setEncoding('utf8');
  gateway.stderr?.setEncoding('utf8');
  gateway.stderr?.on('data', (chunk: string) => (output += chunk));
  url = await new Promise((resolve, reject) => {
    gateway?.stdout?.on('data', (chunk: string) => {
      output += chunk;
      const found = /^gateway: (http:\/\/127\.0\.0\.1:\d+) /m.exec(output)?.[1];
      if (found) resolve(found);
    });
    gateway?.once('exit', (code) => reject(new Error(`scripts/gateway exited (${code}): ${output}`)));
  });
});

afterAll(async () => {
  if (gateway && gateway.exitCode === null) {
    const exited = once(gateway, 'exit');
    gateway.kill('SIGTERM');
    await exited;
  }
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** GET through the gateway; what the stub app saw, and the response. */
async function through(pathname: string, headers: Record<string, string> = {}): Promise<{ seen: Seen | undefined; response: Response }> {
  const before = seen.length;
  const response = await fetch(`${url}${pathname}`, { headers });
  await response.text();
  return { seen: seen.slice(before).pop(), response };
}

describe('an app behind scripts/gateway local', () => {
  test('when a client writes its own X-Forwarded-For, then the app sees it with one hop appended: the address the gateway saw', async () => {
    const { seen: got } = await through('/api/users/me', { 'x-forwarded-for': '203.0.113.9' });

    expect({ app: got?.app, xff: got?.headers['x-forwarded-for'], proto: got?.headers['x-forwarded-proto'] }).toEqual({
      app: 'users',
      xff: '203.0.113.9, 127.0.0.1',
      proto: 'http',
    });
  });

  test('when the request id is one the apps accept, then it passes; when not, the gateway makes one (32 hex digits)', async () => {
    const sane = 'abcdefghij0123456789+/=-';
    expect((await through('/api/tokens', { 'x-request-id': sane })).seen?.headers['x-request-id']).toBe(sane);
    expect((await through('/api/tokens', { 'x-request-id': 'too short' })).seen?.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect((await through('/api/tokens')).seen?.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  test('when the app answers, then its security headers reach the client as it set them', async () => {
    const { response } = await through('/');

    expect({
      csp: response.headers.get('content-security-policy'),
      frame: response.headers.get('x-frame-options'),
      hsts: response.headers.get('strict-transport-security'),
    }).toEqual({ csp: "default-src 'self'", frame: 'DENY', hsts: 'max-age=63072000' });
  });

  test('when a path is under a prefix, or only starts like one, then it goes where the platform routers send it', async () => {
    expect((await through('/api/messages/123?limit=2')).seen).toMatchObject({ app: 'messages', url: '/api/messages/123?limit=2' });
    expect((await through('/api/messagesX')).seen?.app).toBe('ui');
    expect((await through('/.well-known/jwks.json')).seen?.app).toBe('tokens');
    expect((await through('/api/events')).seen?.app).toBe('push');
  });
});
