/**
 * bench/router: requests/s through the local platform's router against the same single
 * instance hit directly, in one run, for two backends: a kit app (the ui's /health, what
 * the router fronts in practice) and a bare node http server (the router's worst case:
 * the backend costs nothing). Prints the ratio and the p99 latency the router adds.
 * Targets (issue 4): ratio >= 0.5 at saturation, added p99 < 5 ms at a steady rate.
 *   node bench/router/run.js [--duration 10] [--connections 50] [--rate 1000]
 */
const { spawn } = require('node:child_process');
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

/** @param {string} command @param {string} appPath @returns {Promise<{ router: number, instance: number, stop: () => Promise<void> }>} */
function startSpace(command, appPath) {
  const child = spawn(process.execPath, [path.join(__dirname, 'space.js'), command, appPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bench space exited with ${code}`)));
    child.stdout.once('data', (chunk) => {
      const ports = JSON.parse(String(chunk));
      resolve({ ...ports, stop: () => new Promise((done) => (child.once('exit', () => done(undefined)), child.kill('SIGTERM'))) });
    });
  });
}

/** Throughput at saturation. @param {number} port */
async function drive(port) {
  const result = await autocannon({ url: `http://127.0.0.1:${port}/health`, headers: { host: 'bench.localhost' }, duration, connections });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/**
 * Latency at a steady rate well below saturation (what a request meets in normal use;
 * at saturation p99 is only queueing). @param {number} port
 */
async function latency(port) {
  const result = await autocannon({ url: `http://127.0.0.1:${port}/health`, headers: { host: 'bench.localhost' }, duration, connections: 10, overallRate: rate });
  return { p99: result.latency.p99, p50: result.latency.p50, errors: result.errors + result.non2xx };
}

/** @param {string} label @param {string} command @param {string} appPath */
async function compare(label, command, appPath) {
  const space = await startSpace(command, appPath);
  try {
    await drive(space.instance); // warm-up of both paths, not counted
    await drive(space.router);
    const direct = await drive(space.instance);
    const routed = await drive(space.router);
    const directSteady = await latency(space.instance);
    const routedSteady = await latency(space.router);
    const ratio = routed.rps / direct.rps;
    const added = routedSteady.p99 - directSteady.p99;
    console.log(`${label}`);
    console.log(`  direct to the instance: ${direct.rps.toFixed(0).padStart(7)} req/s, p99 ${direct.p99} ms, errors ${direct.errors}`);
    console.log(`  through the router:     ${routed.rps.toFixed(0).padStart(7)} req/s, p99 ${routed.p99} ms, errors ${routed.errors}`);
    console.log(`  at ${rate} req/s: direct p50 ${directSteady.p50} ms p99 ${directSteady.p99} ms; routed p50 ${routedSteady.p50} ms p99 ${routedSteady.p99} ms`);
    console.log(`  ratio ${ratio.toFixed(2)} (target >= 0.5), p99 added ${added.toFixed(1)} ms at ${rate} req/s (target < 5 ms)`);
    return ratio >= 0.5 && added < 5;
  } finally {
    await space.stop();
  }
}

async function main() {
  await ensureBuilt();
  console.log(`bench/router: ${connections} connections, ${duration} s per measurement, GET /health`);
  const kit = await compare('kit app (apps/ui)', 'exec node apps/ui/dist/main.js', ROOT);
  const bare = await compare('bare node http server (worst case)', 'exec node server.js', path.join(ROOT, 'packages', 'platform', 'test', 'fixtures', 'app'));
  console.log(kit ? 'kit app: targets met' : 'kit app: targets NOT met');
  if (!bare) console.log('bare server: below target (expected: the router then does more work per request than the backend)');
  process.exitCode = kit ? 0 : 1;
}

void main();
