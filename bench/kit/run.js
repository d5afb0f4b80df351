// bench/kit: the same route (GET / answering a small JSON object) on five stacks, one after
// the other in one run, each driven by autocannon; prints what each stack does per request,
// req/s, p50/p99 and peak RSS, with the kit's ratios to bare Koa and to both peer stacks.
// Every stack that logs writes to a file through a buffered destination. Not part of npm test.
//   node bench/kit/run.js [--duration 5] [--connections 50] [--rounds 3]
// The stacks take turns, round after round, and each keeps its best round: on a shared
// machine a neighbour's burst then costs one round, not one stack.
const path = require('node:path');
const { buildKit, measure, printTable } = require('./measure');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const duration = option('duration', 5);
const rounds = option('rounds', 3);
const connections = option('connections', 50);

const STACKS = [
  { name: 'node:http', file: 'node-http.js', does: 'writes the JSON; nothing else' },
  { name: 'koa+router', file: 'koa.js', does: 'Koa context, @koa/router match, JSON body; no log, no metrics' },
  {
    name: 'express+pino-http+prom',
    file: 'express.js',
    does: 'Express 5 router; pino-http: request id + 1 access line (req/res serializers); prom-client histogram; default process metrics',
  },
  {
    name: 'fastify+helmet+prom',
    file: 'fastify.js',
    does: 'Fastify 5: request id + 2 log lines (its default: incoming, completed); @fastify/helmet headers; prom-client histogram; default process metrics',
  },
  {
    name: 'kit',
    file: 'kit.js',
    does: 'request id, 1 access line, error handler, security headers, ops routes, histogram + process metrics (a JSON body is parsed when a request has one; GET has none)',
  },
];

async function main() {
  buildKit();
  console.log(
    `bench/kit: GET / on each stack, ${connections} connections, ${duration}s each (after a 2 s warm-up), best of ${rounds} rounds; logs go to a file`,
  );
  console.log('per request:');
  for (const stack of STACKS) console.log(`  ${stack.name.padEnd(24)} ${stack.does}`);
  console.log('  (logging stacks: pino, lines buffered in the process and written in blocks of up to 64 kB)');
  const best = new Map();
  for (let round = 1; round <= rounds; round += 1) {
    for (const stack of STACKS) {
      const result = await measure(path.join(__dirname, 'servers', stack.file), { duration, connections });
      console.log(`  round ${round} ${stack.name.padEnd(24)} ${result.rps.toFixed(0)} req/s`);
      const previous = best.get(stack.name);
      // Throughput from the best round; memory from the worst.
      const memory = {
        rssMb: Math.max(result.rssMb, previous?.rssMb ?? 0),
        chargedMb: Math.max(result.chargedMb, previous?.chargedMb ?? 0),
      };
      best.set(stack.name, previous && previous.rps >= result.rps ? { ...previous, ...memory } : { ...result, ...memory });
    }
  }
  const results = STACKS.map((stack) => ({ name: stack.name, ...best.get(stack.name) }));
  printTable(results);
  const [, koa, express, fastify, kit] = results;
  const checks = [
    [`kit/koa req/s ${(kit.rps / koa.rps).toFixed(2)} (target >= 0.70)`, kit.rps / koa.rps >= 0.7],
    [`kit/express req/s ${(kit.rps / express.rps).toFixed(2)} (target >= 1.00)`, kit.rps / express.rps >= 1],
    [`kit/fastify req/s ${(kit.rps / fastify.rps).toFixed(2)} (target >= 1.00)`, kit.rps / fastify.rps >= 1],
    [`kit/koa p99 ${(kit.p99 / Math.max(koa.p99, 1)).toFixed(2)} (target <= 2.00)`, kit.p99 <= 2 * Math.max(koa.p99, 1)],
    [`kit peak RSS ${kit.rssMb.toFixed(0)} MB (target < 100)`, kit.rssMb < 100],
  ];
  console.log('');
  // Not a target: what a request costs each server, less moved by the machine's other load than req/s.
  console.log(
    `CPU per request: kit ${kit.cpuUs.toFixed(1)} us, koa ${koa.cpuUs.toFixed(1)} (koa/kit ${(koa.cpuUs / kit.cpuUs).toFixed(2)}), express ${express.cpuUs.toFixed(1)}, fastify ${fastify.cpuUs.toFixed(1)}`,
  );
  console.log(`kit peak charged memory ${kit.chargedMb.toFixed(0)} MB (its RSS less the node binary's file pages)`);
  for (const [text, ok] of checks) console.log(`${ok ? 'ok  ' : 'MISS'} ${text}`);
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
}

main().catch((error) => {
  console.error(`bench/kit: ${error.message}`);
  process.exit(1);
});
