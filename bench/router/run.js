/**
 * bench/router: requests/s through the local platform's router against the same single
 * instance hit directly, in one run, for two backends: a kit app (the ui's /health, what
 * the router fronts in practice) and a bare node http server (the router's worst case:
 * the backend costs nothing). Prints the ratio and the p99 latency the router adds.
 * Targets (issue 4): ratio >= 0.5 at saturation, added p99 < 5 ms at a steady rate.
 * Beside each path, the CPU its proxy process spent per request at saturation: on a
 * machine whose cores the load generator, the proxy and the instance share, req/s moves
 * with the neighbours, while a proxy's own cost per request says what it adds.
 *   node bench/router/run.js [--duration 10] [--connections 50] [--rate 1000]
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const autocannon = require('autocannon');
const { ensureBuilt } = require('../../scripts/lib/platform');

const ROOT = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
/** @param {string} name @param {number} fallback */
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const duration = option('--duration', 10);
const connections = option('--connections', 50);
const rate = option('--rate', 1000);

/** @param {string} command @param {string} appPath @returns {Promise<{ router: number, instance: number, routerPid: number, instancePid: number, stop: () => Promise<void> }>} */
function startSpace(command, appPath) {
  const child = spawn(process.execPath, [path.join(__dirname, 'space.js'), command, appPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bench space exited with ${code}`)));
    child.stdout.once('data', (chunk) => {
      const ports = JSON.parse(String(chunk));
      resolve({
        ...ports,
        routerPid: child.pid,
        stop: () => new Promise((done) => (child.once('exit', () => done(undefined)), child.kill('SIGTERM'))),
      });
    });
  });
}

/** A process's CPU time so far (user + system), in microseconds (Linux clock ticks of 10 ms). @param {number} pid */
function cpuMicros(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/**
 * Throughput at saturation, and the CPU `pid` (the proxy, or the instance for the direct
 * path) spent per request meanwhile. @param {number} port @param {number} pid
 */
async function drive(port, pid) {
  const before = cpuMicros(pid);
  const result = await autocannon({ url: `http://127.0.0.1:${port}/health`, headers: { host: 'bench.localhost' }, duration, connections });
  const cpuUs = (cpuMicros(pid) - before) / Math.max(result.requests.total, 1);
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx, cpuUs };
}

/**
 * Latency at a steady rate well below saturation (what a request meets in normal use;
 * at saturation p99 is only queueing). @param {number} port
 */
async function latency(port) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/health`,
    headers: { host: 'bench.localhost' },
    duration,
    connections: 10,
    overallRate: rate,
  });
  return { p99: result.latency.p99, p50: result.latency.p50, errors: result.errors + result.non2xx };
}

/** The bare proxies set beside the router (proxy.js), each in its own process. */
const LIBRARIES = [
  ['http-proxy', 'http-proxy 1.18 alone'],
  ['http-proxy-3', 'http-proxy-3 alone'],
  ['undici', "undici Pool.stream alone (the router's library)"],
  ['node-http', 'node:http request + pipe alone'],
];

/** @param {string} library @param {number} target @returns {Promise<{ port: number, pid: number, stop: () => Promise<void> }>} */
function startProxy(library, target) {
  const child = spawn(process.execPath, [path.join(__dirname, 'proxy.js'), library, String(target)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${library} proxy exited with ${code}`)));
    child.stdout.once('data', (chunk) => {
      const { port } = JSON.parse(String(chunk));
      resolve({
        port,
        pid: child.pid ?? 0,
        stop: () => new Promise((done) => (child.once('exit', () => done(undefined)), child.kill('SIGTERM'))),
      });
    });
  });
}

/** @param {string} label @param {string} command @param {string} appPath */
async function compare(label, command, appPath) {
  const space = await startSpace(command, appPath);
  const proxies = [];
  try {
    for (const [library] of LIBRARIES) proxies.push(await startProxy(library, space.instance));
    /** @type {Array<[string, number, number]>} name, port, and the process whose CPU is counted */
    const paths = [
      ['direct to the instance', space.instance, space.instancePid],
      ['local platform router', space.router, space.routerPid],
      ...LIBRARIES.map(
        ([, name], index) => /** @type {[string, number, number]} */ ([name, proxies[index]?.port ?? 0, proxies[index]?.pid ?? 0]),
      ),
    ];
    for (const [, port, pid] of paths) await drive(port, pid); // warm-up of every path, not counted
    const rows = [];
    for (const [name, port, pid] of paths) rows.push({ name, saturated: await drive(port, pid), steady: await latency(port) });
    const direct = rows[0];
    if (!direct) throw new Error('no direct measurement');
    console.log(label);
    console.log(
      `  ${'path'.padEnd(44)} ${'req/s'.padStart(7)} ${'ratio'.padStart(6)} ${'p99'.padStart(6)} ${'CPU us/req'.padStart(10)} | at ${rate} req/s: ${'p50'.padStart(5)} ${'p99'.padStart(5)} ${'added'.padStart(6)} | errors`,
    );
    for (const row of rows) {
      const ratio = row.saturated.rps / direct.saturated.rps;
      const added = row.steady.p99 - direct.steady.p99;
      console.log(
        `  ${row.name.padEnd(44)} ${row.saturated.rps.toFixed(0).padStart(7)} ${ratio.toFixed(2).padStart(6)} ${String(row.saturated.p99).padStart(6)} ${row.saturated.cpuUs.toFixed(1).padStart(10)} |${' '.repeat(String(rate).length + 14)}${String(row.steady.p50).padStart(5)} ${String(row.steady.p99).padStart(5)} ${added.toFixed(1).padStart(6)} | ${row.saturated.errors + row.steady.errors}`,
      );
    }
    const router = rows[1];
    if (!router) throw new Error('no router measurement');
    const ratio = router.saturated.rps / direct.saturated.rps;
    const added = router.steady.p99 - direct.steady.p99;
    const undici = rows.find((row) => row.name.startsWith('undici'));
    if (undici)
      console.log(
        `  CPU per request: the router ${router.saturated.cpuUs.toFixed(1)} us, undici alone ${undici.saturated.cpuUs.toFixed(1)} (router/undici ${(router.saturated.cpuUs / undici.saturated.cpuUs).toFixed(2)}), the instance direct ${direct.saturated.cpuUs.toFixed(1)}`,
      );
    console.log(
      `  router: ratio ${ratio.toFixed(2)} (target >= 0.5: ${ratio >= 0.5 ? 'met' : 'MISSED'}), p99 added ${added.toFixed(1)} ms at ${rate} req/s (target < 5 ms: ${added < 5 ? 'met' : 'MISSED'})`,
    );
    return ratio >= 0.5 && added < 5;
  } finally {
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    await space.stop();
  }
}

async function main() {
  await ensureBuilt();
  console.log(
    `bench/router: ${connections} connections at saturation, 10 at a steady ${rate} req/s, ${duration} s per measurement, GET /health; ratio = req/s over direct, added = p99 over direct's at the steady rate`,
  );
  const kit = await compare('kit app (apps/ui)', 'exec node apps/ui/dist/main.js', ROOT);
  const bare = await compare(
    'bare node http server (worst case)',
    'exec node server.js',
    path.join(ROOT, 'packages', 'platform', 'test', 'fixtures', 'app'),
  );
  console.log(kit ? 'kit app: targets met' : 'kit app: targets NOT met');
  if (!bare) console.log('bare server: below target (expected: the router then does more work per request than the backend)');
  process.exitCode = kit ? 0 : 1;
}

void main();
