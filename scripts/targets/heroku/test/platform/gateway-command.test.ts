/**
 * scripts/gateway as a person meets it: bad arguments (the usage line and one line, exit 2),
 * a machine without nginx (the lines that install it, before anything loads), a manifest
 * route the gateway cannot serve (one line naming route and app), and a stale generated
 * file, which `render` brings back and the bundle check then accepts.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { makeThrowawayRepo, removeRepo, ROOT, sh } from '../../../../lib/testing/throwaway-repo';

const gateway = (args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT) => sh(path.join(cwd, 'scripts', 'gateway'), args, cwd, env);
const lines = (text: string) => text.split('\n').filter(Boolean);
const USAGE = 'usage: scripts/gateway render | scripts/gateway local --base <port> [--port <port>]';

describe('scripts/gateway, bad arguments', () => {
  test.each([
    [[], 'gateway: name what to do: render or local'],
    [['serve'], 'gateway: unknown verb serve (render or local)'],
    [['local'], "gateway: local needs --base, the Procfile run's base port (heroku local: 5006)"],
    [['local', '--base', '50x6'], 'gateway: --base 50x6: a port number from 1 to 65535'],
    [['local', '--base', '5006', '--port', '70000'], 'gateway: --port 70000: a port number from 1 to 65535'],
    [['render', '--base', '5006'], 'gateway: --base is for scripts/gateway local'],
    [['local', '--base', '5006', '--bogus'], 'gateway: unknown option --bogus'],
  ])('%j: the usage line, then one line, exit 2', (args, line) => {
    const result = gateway(args);

    expect([result.status, lines(result.stderr), result.stdout]).toEqual([2, [USAGE, line], '']);
  });

  test('when nginx is not installed, then the lines that install it, exit 1', () => {
    const result = gateway(['local', '--base', '5006'], { NGINX_PATH: '/nonexistent/nginx' });

    expect([result.status, lines(result.stderr)]).toEqual([
      1,
      [
        'gateway: nginx is not installed; install it with',
        '  Debian/Ubuntu: sudo apt-get install -y nginx',
        '  Fedora:        sudo dnf install -y nginx',
        '  macOS:         brew install nginx',
        '  (or set NGINX_PATH to an nginx binary)',
      ],
    ]);
  });
});

describe('scripts/gateway local and a port another process holds', () => {
  let holder: net.Server;
  let taken = 0;
  beforeAll(async () => {
    holder = net.createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    taken = (holder.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => holder.close(resolve)));

  test('when --port names it, then nginx says so in one line and the command ends, exit 1', () => {
    const result = gateway(['local', '--base', '20000', '--port', String(taken)]);

    expect([result.status, lines(result.stderr).filter((line) => line.startsWith('gateway:'))]).toEqual([
      1,
      [
        expect.stringMatching(
          new RegExp(
            `^gateway: nginx exited \\(1\\) before it listened: \\[emerg\\] .*bind\\(\\) to 127\\.0\\.0\\.1:${taken} failed \\(98: Address already in use\\)`,
          ),
        ),
      ],
    ]);
  });

  test('when it picked that port itself, then it starts again on another and serves there', async () => {
    // The first port it picks is the taken one; the next a free one.
    const script = `const { runGateway, candidatePort } = require('./scripts/targets/heroku/gateway/local');
      const fs = require('node:fs');
      let picks = 0;
      runGateway({ nginx: '/usr/sbin/nginx', template: fs.readFileSync('heroku/gateway/config/nginx.conf.erb', 'utf8'),
        upstreams: Object.fromEntries(['UI', 'USERS', 'TOKENS', 'MESSAGES', 'PUSH'].map((app) => [app + '_URL', 'http://127.0.0.1:1'])),
        routes: [], out: (line) => console.log(line), problem: (line) => console.error(line),
        pick: () => (picks++ === 0 ? Promise.resolve(${taken}) : candidatePort()) }).then((code) => process.exit(code));`;
    const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', () => {
        const found = /^gateway: http:\/\/127\.0\.0\.1:(\d+) /m.exec(output)?.[1];
        if (found) resolve(Number(found));
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;

    expect({ differs: port !== taken, sawTaken: output.includes(`127.0.0.1:${taken} failed (98: Address already in use)`), code }).toEqual({
      differs: true,
      sawTaken: true,
      code: 0,
    });
  });
});

describe('scripts/gateway render in a copy of the bundle', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeThrowawayRepo([
      'scripts',
      'packages',
      'manifest.yml',
      'heroku.json',
      'vars',
      'heroku',
      'package.json',
      'Procfile',
      '.env.example',
      'apps',
    ]);
  });
  afterAll(() => removeRepo(dir));
  const manifest = () => path.join(dir, 'manifest.yml');

  test('when the generated file is edited, then the bundle check names it in one line; render restores it', () => {
    const config = path.join(dir, 'heroku', 'gateway', 'config', 'nginx.conf.erb');
    const committed = fs.readFileSync(config, 'utf8');
    fs.writeFileSync(config, committed.replace('proxy_buffering off;', 'proxy_buffering on;'));

    const stale = sh(process.execPath, ['scripts/commands/bundle-check.js'], dir);
    expect([stale.status, lines(stale.stderr)]).toEqual([
      1,
      ["bundle-check: heroku/gateway/config/nginx.conf.erb is not what manifest.yml's routes give: run scripts/gateway render"],
    ]);
    const rendered = gateway(['render'], {}, dir);
    expect([rendered.status, rendered.stdout]).toEqual([0, 'gateway: wrote heroku/gateway/config/nginx.conf.erb\n']);
    expect(fs.readFileSync(config, 'utf8')).toBe(committed);
    expect(sh(process.execPath, ['scripts/commands/bundle-check.js'], dir).status).toBe(0);
  });

  test.each([
    ['((host)).((domain))/api/events', '"*.((domain))/api/events"', 'route *.apps.example.com/api/events of app push has a wildcard host'],
    [
      '((host)).((domain))/api/events',
      '((host)).((domain)):8443/api/events',
      'route chat-staging.apps.example.com:8443/api/events of app push names a port',
    ],
  ])('when manifest.yml routes %s as %s, then render stops with one line naming the route and the app', (from, to, named) => {
    const before = fs.readFileSync(manifest(), 'utf8');
    fs.writeFileSync(manifest(), before.replace(`- route: ${from}`, `- route: ${to}`));
    try {
      const result = gateway(['render'], {}, dir);

      expect([result.status, lines(result.stderr), result.stdout]).toEqual([1, [expect.stringContaining(named)], '']);
      expect(lines(result.stderr)[0]).toMatch(/^gateway: manifest\.yml: route .* cannot route/);
    } finally {
      fs.writeFileSync(manifest(), before);
    }
  });
});
