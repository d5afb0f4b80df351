// bench/kit: the same route (GET / answering a small JSON object) on four stacks, one after
// the other in one run, each driven by autocannon; prints req/s, p50/p99 and peak RSS with
// the kit's ratios to bare Koa and to the peer stack. Not part of npm test.
//   node bench/kit/run.js [--duration 10] [--connections 50]
const path = require('node:path');
const { buildKit, measure, printTable } = require('./measure');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const duration = option('duration', 10);
const connections = option('connections', 50);

const STACKS = [
  { name: 'node:http', file: 'node-http.js' },
  { name: 'koa+router', file: 'koa.js' },
  { name: 'express+pino-http+prom', file: 'express.js' },
  { name: 'kit', file: 'kit.js' },
];

async function main() {
  buildKit();
  console.log(`bench/kit: GET / on each stack, ${connections} connections, ${duration}s each (after a 2 s warm-up); logs go to a file`);
  const results = [];
  for (const stack of STACKS) {
    results.push({ name: stack.name, ...(await measure(path.join(__dirname, 'servers', stack.file), { duration, connections })) });
  }
  printTable(results);
  const [, koa, peer, kit] = results;
  const checks = [
    [`kit/koa req/s ${(kit.rps / koa.rps).toFixed(2)} (target >= 0.70)`, kit.rps / koa.rps >= 0.7],
    [`kit/peer req/s ${(kit.rps / peer.rps).toFixed(2)} (target >= 1.00)`, kit.rps / peer.rps >= 1],
    [`kit/koa p99 ${(kit.p99 / Math.max(koa.p99, 1)).toFixed(2)} (target <= 2.00)`, kit.p99 <= 2 * Math.max(koa.p99, 1)],
    [`kit peak RSS ${kit.rssMb.toFixed(0)} MB (target < 100)`, kit.rssMb < 100],
  ];
  console.log('');
  for (const [text, ok] of checks) console.log(`${ok ? 'ok  ' : 'MISS'} ${text}`);
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
}

main().catch((error) => {
  console.error(`bench/kit: ${error.message}`);
  process.exit(1);
});
