// bench/push/write-floor: what one fan-out pass costs this machine before any server code.
// A bare net server holds N loopback connections (a reader process of its own drains them)
// and writes the same 300-byte buffer to each, pass after pass: the time of a pass is the
// floor of push's delivery latency at N streams, since a message is on the wire for the
// last stream only after a write to each of the others (and may first wait for the pass
// before it). Run from the repository root:
//   node bench/push/write-floor.js
// Env overrides: POINTS (1000,2000,5000,10000), PASSES (10).
'use strict';
const { fork } = require('node:child_process');
const net = require('node:net');

const POINTS = (process.env.POINTS ?? '1000,2000,5000,10000').split(',').map(Number);
const PASSES = Number(process.env.PASSES ?? 10);
const FRAME = Buffer.alloc(300, 'a');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The reader child: opens `count` connections to `port`, reads and drops everything. */
function reader(port, count) {
  const sockets = [];
  const open = () =>
    new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', resolve);
      socket.on('data', () => undefined);
      socket.on('error', () => undefined);
      sockets.push(socket);
    });
  void (async () => {
    for (let i = 0; i < count; i += 200) await Promise.all(Array.from({ length: Math.min(200, count - i) }, open));
    process.send?.('connected');
  })();
}

async function point(count) {
  const sockets = [];
  const server = net.createServer((socket) => {
    socket.setNoDelay(true); // as push's streams
    socket.on('error', () => undefined);
    sockets.push(socket);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const port = /** @type {net.AddressInfo} */ (server.address()).port;
  const child = fork(__filename, ['reader', String(port), String(count)]);
  await new Promise((resolve) => child.once('message', resolve));
  await sleep(500);
  const passes = [];
  const cpuBefore = process.cpuUsage();
  for (let pass = 0; pass < PASSES; pass += 1) {
    const started = process.hrtime.bigint();
    for (const socket of sockets) socket.write(FRAME);
    passes.push(Number(process.hrtime.bigint() - started) / 1e6);
    await sleep(100); // the reader drains; the next pass starts on empty buffers
  }
  const cpu = process.cpuUsage(cpuBefore);
  child.kill();
  for (const socket of sockets) socket.destroy();
  server.close();
  passes.sort((a, b) => a - b);
  const median = passes[Math.floor(passes.length / 2)];
  return { count, median, perWriteUs: (median * 1000) / count, systemShare: cpu.system / (cpu.user + cpu.system) };
}

async function main() {
  console.log(
    `write floor: ${PASSES} passes of one ${FRAME.length}-byte write to each loopback connection (net.Socket.write, no framework)`,
  );
  console.log('| streams | pass (median) | per write | kernel share of the CPU |');
  console.log('|---------|---------------|-----------|-------------------------|');
  for (const count of POINTS) {
    const r = await point(count);
    console.log(
      `| ${String(count).padStart(7)} | ${`${r.median.toFixed(1)} ms`.padStart(13)} | ${`${r.perWriteUs.toFixed(1)} µs`.padStart(9)} | ${`${(100 * r.systemShare).toFixed(0)}%`.padStart(23)} |`,
    );
  }
  console.log("A message may wait for the pass under way and then for its own: push's p99 at a point is at best about two passes.");
}

if (process.argv[2] === 'reader') reader(Number(process.argv[3]), Number(process.argv[4]));
else
  main().catch((error) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
