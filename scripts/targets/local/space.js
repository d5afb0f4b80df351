// @ts-check
/**
 * A local platform space seen from the release scripts: its supervisor's state file
 * (.local/<space>/state.json) and control channel (HTTP over the unix socket it names:
 * GET /status, POST /push; see packages/platform/README.md), and bringing a space up in
 * the background with scripts/start when it is not running.
 */
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const { ROOT, run } = require('../../lib/run');
const { readVars, varsFile } = require('../../lib/manifest');

/** The platform's default router ports, when the vars file names none. */
const DEFAULT_PORTS = /** @type {Record<string, number>} */ ({ dev: 8080, staging: 8081, production: 8082 });

/** @param {string} space */
const dataDir = (space) => path.join(ROOT, '.local', space);

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/**
 * The running supervisor's state, or undefined when the space is not running.
 * @param {string} space
 * @returns {{ pid: number, socket: string, router_port: number, url: string } | undefined}
 */
function runningState(space) {
  try {
    const state = JSON.parse(fs.readFileSync(path.join(dataDir(space), 'state.json'), 'utf8'));
    return isAlive(state.pid) ? state : undefined;
  } catch {
    return undefined;
  }
}

/** The router port a space uses: the platform's order (ROUTER_PORT, vars router_port, default). @param {string} space */
function routerPort(space) {
  const running = runningState(space);
  if (running) return running.router_port;
  if (process.env.ROUTER_PORT) return Number(process.env.ROUTER_PORT);
  const fromVars = readVars(space).router_port;
  return fromVars === undefined ? (DEFAULT_PORTS[space] ?? 8080) : Number(fromVars);
}

/**
 * One JSON request to a space's supervisor.
 * @param {string} space @param {string} method @param {string} route @param {unknown} [body]
 * @returns {Promise<{ status: number, body: any }>}
 */
function control(space, method, route, body) {
  const state = runningState(space);
  if (!state) return Promise.reject(new Error(`space ${space} is not running (start it with scripts/start ${space})`));
  return new Promise((resolve, reject) => {
    const request = http.request(
      { socketPath: state.socket, method, path: route, headers: { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          try {
            resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
          } catch {
            reject(new Error(`the supervisor of space ${space} answered ${response.statusCode} with something that is not JSON`));
          }
        });
      },
    );
    request.on('error', (error) => reject(new Error(`cannot reach the supervisor of space ${space} (pid ${state.pid}): ${error.message}`)));
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/**
 * Starts a space in the background (scripts/start <space> --detach: it returns once the
 * space runs, its output in .local/<space>/supervisor.log) when it is not running.
 * @param {string} space @param {(line: string) => void} say
 * @returns {Promise<string | undefined>} a failure line, or undefined when it runs
 */
async function ensureRunning(space, say) {
  if (runningState(space)) return undefined;
  say(`space ${space} is not running: $ scripts/start ${space} --detach`);
  const code = await run('scripts/start', [space, '--detach']);
  if (code !== 0) return `scripts/start ${space} failed (exit ${code}, see above)`;
  return runningState(space) ? undefined : `space ${space} is still not running after scripts/start`;
}

/**
 * The app host (`<host>-{app}.localhost`) of the running local space whose router answers
 * at `base`, if any: scripts/e2e adds it, so each app's /version is asked through that router.
 * @param {string | undefined} base @returns {string | undefined}
 */
function appHostAt(base) {
  let url;
  try {
    url = new URL(base ?? '');
  } catch {
    return undefined;
  }
  if (!['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return undefined;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const folder = path.join(ROOT, '.local');
  for (const space of fs.existsSync(folder) ? fs.readdirSync(folder) : []) {
    if (runningState(space)?.router_port !== port) continue;
    // A space may run on other vars files (--vars-file): without vars/<space>.yml there is nothing to add.
    if (!fs.existsSync(varsFile(space))) continue;
    const host = readVars(space).host;
    if (typeof host === 'string') return `${host}-{app}.localhost`;
  }
  return undefined;
}

module.exports = { dataDir, runningState, routerPort, control, ensureRunning, appHostAt };
