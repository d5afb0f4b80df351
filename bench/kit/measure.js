// Starting a server in a child process, driving it with autocannon, reading its peak RSS,
// its peak charged memory and the CPU it spent per request.
const { execFileSync, fork } = require('node:child_process');
const { once } = require('node:events');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');

const ROOT = path.resolve(__dirname, '..', '..');

/** The kit server requires the built kit (packages/kit/dist). */
function buildKit() {
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-b', 'packages/kit/tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
}

async function freePort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

/** VmHWM: the most resident memory the process ever had, in MB (Linux). */
function peakRssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

/**
 * What a memory cgroup charges for the process now, in MB: its anonymous and shared pages
 * (the local platform's quota counts the same, packages/platform/src/local/memory.ts). RSS
 * also counts the node binary's file pages, which the kernel reclaims before it kills.
 */
function chargedMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return (kb('RssAnon') + kb('RssShmem')) / 1024;
}

/** The process's CPU time so far (user + system), in microseconds (Linux clock ticks of 10 ms). */
function cpuMicros(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function drive(url, duration, connections) {
  return autocannon({ url, duration, connections });
}

async function measure(file, { duration, connections, env = {} }) {
  const port = await freePort();
  const logFile = path.join(os.tmpdir(), `bench-kit-${path.basename(file, '.js')}-${process.pid}.log`);
  const log = fs.openSync(logFile, 'w');
  const child = fork(file, [], {
    env: { ...process.env, PORT: String(port), NODE_ENV: 'production', ...env },
    stdio: ['ignore', log, 'inherit', 'ipc'],
  });
  try {
    const [message] = await Promise.race([once(child, 'message'), once(child, 'exit').then(() => ['exited'])]);
    if (message !== 'listening') throw new Error(`${path.basename(file)} did not start`);
    const url = `http://127.0.0.1:${port}/`;
    await drive(url, 2, connections); // warm-up: JIT and pools, not counted
    // Charged memory has no high-water mark of its own in /proc: it is sampled while the load runs.
    let chargedPeakMb = chargedMb(child.pid);
    const sampler = setInterval(() => (chargedPeakMb = Math.max(chargedPeakMb, chargedMb(child.pid))), 50);
    const cpuBefore = cpuMicros(child.pid);
    let result;
    try {
      result = await drive(url, duration, connections);
    } finally {
      clearInterval(sampler);
    }
    const cpuUsPerRequest = (cpuMicros(child.pid) - cpuBefore) / Math.max(result.requests.total, 1);
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${path.basename(file)}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return {
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      rssMb: peakRssMb(child.pid),
      chargedMb: chargedPeakMb,
      cpuUs: cpuUsPerRequest,
      requests: result.requests.total,
    };
  } finally {
    child.kill('SIGKILL');
    fs.closeSync(log);
  }
}

function printTable(results) {
  console.log('');
  console.log(
    `${'stack'.padEnd(24)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'CPU us/req'.padStart(11)} ${'peak RSS MB'.padStart(12)} ${'peak charged MB'.padStart(16)}`,
  );
  for (const r of results) {
    console.log(
      `${r.name.padEnd(24)} ${r.rps.toFixed(0).padStart(8)} ${String(r.p50).padStart(7)} ${String(r.p99).padStart(7)} ${r.cpuUs.toFixed(1).padStart(11)} ${r.rssMb.toFixed(1).padStart(12)} ${r.chargedMb.toFixed(1).padStart(16)}`,
    );
  }
  console.log(
    "(CPU us/req: the server process's user + system time over the measured requests; peak charged: RssAnon + RssShmem, what a memory cgroup holds against an instance)",
  );
}

module.exports = { buildKit, measure, printTable };
