// @ts-check
/**
 * `scripts/gateway local`: the Heroku gateway's own config (heroku/gateway/config/nginx.conf.erb)
 * run by this machine's nginx in front of a Procfile run (`heroku local -p B`, foreman):
 * each app's URL is the port the runner gives its Procfile line (base + 100 per line,
 * packages/platform/src/cli/procfile-ports.ts). nginx runs with a prefix and config of its
 * own in a temporary folder (pid file and temporary files there too, error log on stderr, in
 * the foreground), as any user, until SIGINT or SIGTERM; then the folder goes too. Its access
 * lines come through a FIFO in that folder to this command's stdout: nginx opens its access
 * log by name, and /dev/stdout cannot be opened when stdout is a socket (as a parent process's
 * pipe often is: ENXIO).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { spawn, spawnSync } = require('node:child_process');
const { procfileLines } = require('../../../scaffold/bundle');
const { renderErb } = require('./erb');
const { upstreamVar, routedApps } = require('./config');

/** @typedef {import('./routes').GatewayRoute} GatewayRoute */

/** How many ports a run tries when it picked them itself: each taken one is a race lost to another process. */
const PORT_ATTEMPTS = 5;

/**
 * Each routed app's URL in a Procfile run at `base`: the port of the Procfile line that runs
 * the app's web entry point (apps/<app>/dist/main.js). A one-line reason when an app has none.
 * @param {string} procfileText @param {number} base @param {GatewayRoute[]} routes
 * @returns {Record<string, string> | string} config var -> URL
 */
function procfileUpstreams(procfileText, base, routes) {
  const lines = procfileLines(procfileText);
  /** @type {Record<string, string>} */
  const urls = {};
  for (const app of routedApps(routes)) {
    const index = lines.findIndex((line) => line.script === `apps/${app}/dist/main.js`);
    if (index < 0) return `the Procfile has no line running apps/${app}/dist/main.js, where the gateway sends ${app}'s routes`;
    const port = base + 100 * index;
    if (port > 65535) return `--base ${base}: the Procfile's line ${index + 1} (${app}) would be on port ${port}, past 65535`;
    urls[upstreamVar(app)] = `http://127.0.0.1:${port}`;
  }
  return urls;
}

/** The first nameserver of /etc/resolv.conf (nginx needs a resolver; the local upstreams are addresses, never looked up). */
function resolver() {
  const text = fs.existsSync('/etc/resolv.conf') ? fs.readFileSync('/etc/resolv.conf', 'utf8') : '';
  const address = /^nameserver\s+(\S+)/m.exec(text)?.[1] ?? '127.0.0.1';
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * A port of 127.0.0.1 that was free a moment ago. nginx cannot listen on port 0 and say which
 * port it got, so the port is picked here, and when nginx finds it taken (another process
 * bound it in between), the run starts again on another: at most PORT_ATTEMPTS.
 * @returns {Promise<number>}
 */
function candidatePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * A FIFO in `dir` for nginx's access log, read into this process's stdout until `close`.
 * Opened read-write, so opening never waits for nginx and a restart of nginx is no end of file.
 * @param {string} dir @returns {{ path: string, close: () => void }}
 */
function accessLogPipe(dir) {
  const fifo = path.join(dir, 'access.log');
  const made = spawnSync('mkfifo', ['-m', '0666', fifo], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`mkfifo ${fifo} failed: ${made.stderr || made.error?.message}`);
  const socket = new net.Socket({ fd: fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK), readable: true, writable: false });
  socket.pipe(process.stdout, { end: false });
  return { path: fifo, close: () => socket.destroy() };
}

/**
 * Starts nginx with `config`; resolves once its workers run (it listens by then), or with
 * the reason it exited first (`taken`: the port was in use).
 * @param {string} nginx @param {string} dir @param {string} config
 * @returns {Promise<{ child: import('node:child_process').ChildProcess } | { failure: string, taken: boolean }>}
 */
function startNginx(nginx, dir, config) {
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, config);
  // -e: the error log before the config is read, which is otherwise the package's own file.
  const child = spawn(nginx, ['-p', `${dir}/`, '-c', file, '-e', 'stderr'], { stdio: ['ignore', 'inherit', 'pipe'] });
  let said = '';
  return new Promise((resolve) => {
    child.stderr?.setEncoding('utf8');
    const onData = (/** @type {string} */ chunk) => {
      process.stderr.write(chunk);
      said += chunk;
      if (/start worker process \d+/.test(said)) {
        child.off('exit', onExit);
        resolve({ child });
      }
    };
    const onExit = (/** @type {number | null} */ code) => {
      child.stderr?.off('data', onData);
      const emerg = /\[emerg\][^\n]*/.exec(said)?.[0];
      resolve({
        failure: `nginx exited (${code ?? 'signal'}) before it listened: ${emerg ?? said.trim().split('\n').pop() ?? ''}`,
        taken: /Address already in use/.test(said),
      });
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', (error) => resolve({ failure: `cannot run ${nginx}: ${error.message}`, taken: false }));
  });
}

/**
 * Runs the gateway until SIGINT or SIGTERM. Resolves with the exit code: 0 when stopped by a
 * signal, 1 (after the one line) when nginx could not start or ended by itself.
 * @param {{ nginx: string, template: string, upstreams: Record<string, string>, port?: number, routes: GatewayRoute[],
 *   out: (line: string) => void, problem: (line: string) => void, pick?: () => Promise<number> }} options
 * @returns {Promise<number>}
 */
async function runGateway(options) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-'));
  // Workers of an nginx started as root run as another user: they must reach the prefix.
  fs.chmodSync(dir, 0o755);
  const accessLog = accessLogPipe(dir);
  const cleanup = () => {
    accessLog.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Listening for the signals before anything is printed: a signal that came between the
  // address line and the handlers would end this process with nginx still running.
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let running;
  let stopping = false;
  const stop = () => {
    stopping = true;
    // Fast shutdown: open streams close at once, and their clients reconnect elsewhere.
    running?.kill('SIGTERM');
  };
  const stopListening = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let port = 0;
  for (let attempt = 1; ; attempt += 1) {
    port = options.port ?? (await (options.pick ?? candidatePort)());
    const env = {
      ...options.upstreams,
      PORT: String(port),
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_RESOLVER: resolver(),
      NGINX_WORKERS: '1',
      NGINX_ACCESS_LOG_PATH: accessLog.path,
    };
    const started = await startNginx(options.nginx, dir, renderErb(options.template, env));
    if ('child' in started) {
      running = started.child;
      break;
    }
    if (stopping || !started.taken || options.port !== undefined || attempt >= PORT_ATTEMPTS) {
      stopListening();
      cleanup();
      if (stopping) return 0;
      options.problem(started.failure);
      return 1;
    }
  }
  const nginx = running;
  return new Promise((resolve) => {
    nginx.once('exit', (code, signal) => {
      stopListening();
      cleanup();
      if (stopping) return resolve(0);
      options.problem(`nginx exited by itself (${code ?? signal})`);
      resolve(1);
    });
    if (stopping) return void nginx.kill('SIGTERM');
    const table = options.routes.map(
      (route) => `${route.prefix}=${options.upstreams[upstreamVar(route.app)]?.replace('http://127.0.0.1', '')}`,
    );
    options.out(`gateway: http://127.0.0.1:${port} -> ${table.join(',')} (nginx ${nginx.pid}, Ctrl-C stops it)`);
  });
}

module.exports = { procfileUpstreams, runGateway, candidatePort, PORT_ATTEMPTS };
