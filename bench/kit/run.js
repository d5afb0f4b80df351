// bench/kit: the same route (GET / answering a small JSON object) on five stacks, and the kit
// with its telemetry three ways (the entry imported with nothing configured; the OpenTelemetry
// SDK sampling 10% of traces; every trace sampled), one after the other in one run, each driven
// by autocannon; prints what each stack does per request, req/s, p50/p99 and peak RSS, with the
// kit's ratios to bare Koa and to both peer stacks, and each telemetry row's ratio to the kit
// without telemetry. The telemetry rows export to a local OTLP receiver of their own
// (otlp-sink.js). Every stack that logs writes to a file through a buffered destination. Not
// part of npm test.
//   node bench/kit/run.js [--duration 5] [--connections 50] [--rounds 3] [--only kit,koa+router,...]
// The stacks take turns, round after round, and each keeps its best round: on a shared
// machine a neighbour's burst then costs one round, not one stack.
const { fork } = require('node:child_process');
const { once } = require('node:events');
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
// --only kit,koa,...: a subset of the stacks (its ratios need kit and koa among them).
const onlyIndex = args.indexOf('--only');
const only = onlyIndex === -1 ? undefined : new Set(args[onlyIndex + 1].split(','));

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
  {
    name: 'kit+telemetry off',
    file: 'kit-telemetry.js',
    does: 'the kit with @bundle/kit/telemetry imported first and nothing configured (no OTLP endpoint): nothing is loaded',
  },
  {
    name: 'kit+otel 10%',
    file: 'kit-telemetry.js',
    otlp: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
    does: 'the kit with the OpenTelemetry SDK: a server span per request, 10% sampled, exported (http/protobuf) to a local receiver; trace ids on the access line',
  },
  {
    name: 'kit+otel 100%',
    file: 'kit-telemetry.js',
    otlp: { OTEL_TRACES_SAMPLER: 'always_on' },
    does: 'the same, every trace sampled and exported (a server span and a koa router span per request)',
  },
];

/** The local OTLP receiver the telemetry rows export to, in a process of its own. */
async function startSink() {
  const sink = fork(path.join(__dirname, 'otlp-sink.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [{ port }] = await once(sink, 'message');
  return { sink, endpoint: `http://127.0.0.1:${port}` };
}

async function main() {
  buildKit();
  const { sink, endpoint } = await startSink();
  const stacks = STACKS.filter((stack) => !only || only.has(stack.name));
  console.log(
    `bench/kit: GET / on each stack, ${connections} connections, ${duration}s each (after a 2 s warm-up), best of ${rounds} rounds; logs go to a file`,
  );
  console.log('per request:');
  for (const stack of stacks) console.log(`  ${stack.name.padEnd(24)} ${stack.does}`);
  console.log('  (logging stacks: pino, lines buffered in the process and written in blocks of up to 64 kB)');
  const best = new Map();
  for (let round = 1; round <= rounds; round += 1) {
    for (const stack of stacks) {
      // The telemetry rows export every 1 s (the SDK's batch delay is 5 s by default: a
      // shorter one puts the exports inside the measured seconds).
      const env = stack.otlp ? { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '1000', ...stack.otlp } : {};
      const result = await measure(path.join(__dirname, 'servers', stack.file), { duration, connections, env });
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
  sink.send('count');
  const [received] = await once(sink, 'message');
  sink.disconnect();
  const results = stacks.map((stack) => ({ name: stack.name, ...best.get(stack.name) }));
  printTable(results);
  const row = (name) => results.find((result) => result.name === name);
  const [koa, express, fastify, kit] = ['koa+router', 'express+pino-http+prom', 'fastify+helmet+prom', 'kit'].map(row);
  if (!kit || !koa) throw new Error('--only must include kit and koa+router');
  const telemetryChecks = [
    ['kit+telemetry off', 0.98],
    ['kit+otel 10%', 0.85],
    ['kit+otel 100%', 0.65],
  ]
    .filter(([name]) => row(name))
    .map(([name, target]) => [
      `${name}/kit req/s ${(row(name).rps / kit.rps).toFixed(2)} (target >= ${target.toFixed(2)})`,
      row(name).rps / kit.rps >= target,
    ]);
  const checks = [
    [`kit/koa req/s ${(kit.rps / koa.rps).toFixed(2)} (target >= 0.70)`, kit.rps / koa.rps >= 0.7],
    ...(express ? [[`kit/express req/s ${(kit.rps / express.rps).toFixed(2)} (target >= 1.00)`, kit.rps / express.rps >= 1]] : []),
    ...(fastify ? [[`kit/fastify req/s ${(kit.rps / fastify.rps).toFixed(2)} (target >= 1.00)`, kit.rps / fastify.rps >= 1]] : []),
    [`kit/koa p99 ${(kit.p99 / Math.max(koa.p99, 1)).toFixed(2)} (target <= 2.00)`, kit.p99 <= 2 * Math.max(koa.p99, 1)],
    [`kit peak RSS ${kit.rssMb.toFixed(0)} MB (target < 100)`, kit.rssMb < 100],
    ...telemetryChecks,
  ];
  console.log('');
  // Not a target: what a request costs each server, less moved by the machine's other load than req/s.
  console.log(
    `CPU per request: kit ${kit.cpuUs.toFixed(1)} us, koa ${koa.cpuUs.toFixed(1)} (koa/kit ${(koa.cpuUs / kit.cpuUs).toFixed(2)})` +
      (express ? `, express ${express.cpuUs.toFixed(1)}` : '') +
      (fastify ? `, fastify ${fastify.cpuUs.toFixed(1)}` : '') +
      results
        .filter((result) => result.name.startsWith('kit+'))
        .map((result) => `, ${result.name} ${result.cpuUs.toFixed(1)}`)
        .join(''),
  );
  console.log(`the local OTLP receiver got ${received.exports} exports, ${(received.bytes / 1e6).toFixed(1)} MB`);
  console.log(`kit peak charged memory ${kit.chargedMb.toFixed(0)} MB (its RSS less the node binary's file pages)`);
  for (const [text, ok] of checks) console.log(`${ok ? 'ok  ' : 'MISS'} ${text}`);
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
}

main().catch((error) => {
  console.error(`bench/kit: ${error.message}`);
  process.exit(1);
});
