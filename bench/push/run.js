// bench/push: how one push instance grows. At 1,000, 2,000, 5,000 and 10,000 streams, at a
// constant 200,000 deliveries per second in total (200 messages/s at 1,000 streams, 20/s at
// 10,000), messages are posted to the messages app and read back by raw-socket readers in
// their own processes. The same points are measured, turn about, for socket.io 4 with
// @socket.io/redis-adapter and for a bare node:http SSE server reading the same bus. For each
// point: p50/p99 from the POST's 201 to receipt, lost and duplicated deliveries, the
// server's RSS (idle, and peak) and memory per stream, server and reader CPU. Run from the
// repository root:
//   node bench/push/run.js
// Env overrides: POINTS (1000,2000,5000,10000), DELIVERIES (200000 per second), SECONDS (10),
// SIDES (push,socket.io,sse), READERS (reader processes, 2), APP_NODE_OPTIONS (flags added to
// the apps' own, e.g. --cpu-prof --cpu-prof-dir=/tmp/prof to see where push spends a pass). It builds the apps, starts its
// own redis-server and JWKS on 127.0.0.1, and kills every child it started when it ends.
'use strict';
const { execFileSync, fork } = require('node:child_process');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const { memoryCgroup } = require('./cgroup');
const s = require('./setup');

const POINTS = (process.env.POINTS ?? '1000,2000,5000,10000').split(',').map(Number);
const DELIVERIES = Number(process.env.DELIVERIES ?? 200_000);
const SECONDS = Number(process.env.SECONDS ?? 10);
const SIDES = (process.env.SIDES ?? 'push,socket.io,sse').split(',');
const READERS = Number(process.env.READERS ?? 2);
// push allows MAX_STREAMS_PER_USER (default 10) streams per user: streams are
// spread over enough accounts to stay within it, as tabs of that many people would be.
const STREAMS_PER_USER = 10;
const USERS = Math.ceil(Math.max(...POINTS) / STREAMS_PER_USER);

/** Percentile of merged sparse histograms ([bucket, count] pairs, 0.1 ms buckets). */
function percentile(buckets, overflow, fraction) {
  const total = buckets.reduce((sum, [, n]) => sum + n, 0) + overflow;
  let seen = 0;
  for (const [bucket, n] of buckets) {
    seen += n;
    if (seen >= total * fraction) return bucket / 10;
  }
  return Infinity;
}

/** Forks the reader processes and opens `streams` connections spread over them. */
async function openReaders(kind, run, port, path, tokens, streams, messages) {
  const readers = [];
  for (let r = 0; r < READERS; r += 1) {
    const child = fork(join(__dirname, 'readers.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    s.children.push(child);
    /** @param {string} type */
    child.reply = (type) =>
      new Promise((resolve, reject) => {
        child.on('message', (/** @type {any} */ message) => {
          if (message.type === type) resolve(message);
          if (message.type === 'failed') reject(new Error(`${kind} reader: ${message.message}`));
        });
        child.once('exit', (code) => reject(new Error(`reader process exited with ${code}`)));
      });
    readers.push(child);
  }
  await Promise.all(readers.map((child) => child.reply('ready')));
  for (const child of readers) child.idleMb = s.proc(child.pid).rssMb;
  const connected = readers.map((child) => child.reply('connected'));
  readers.forEach((child, r) => {
    const targets = [];
    for (let i = r; i < streams; i += READERS) targets.push({ port, path, token: tokens[i % tokens.length] });
    child.send({ type: 'connect', kind, run, targets, messages });
  });
  await Promise.all(connected);
  return readers;
}

/** Peers are measured in a cgroup too, with room enough never to be killed. */
const UNLIMITED_MB = 4096;

/**
 * One side at one point: a fresh server in a fresh memory cgroup (push's limited to its
 * manifest memory, as the platform would), its idle RSS, `streams` readers, SECONDS of load.
 */
async function point(side, streams, tokens, post) {
  const rate = DELIVERIES / streams;
  const messages = Math.round(rate * SECONDS);
  const run = `${side.name.replace(/\W/g, '')}${streams}`;
  const limitMb = side.memoryMb ?? UNLIMITED_MB;
  const cgroup = memoryCgroup(side.name.replace(/\W/g, ''), limitMb * 1024 * 1024);
  /** @type {import('node:child_process').ChildProcess[]} */
  const readers = [];
  let server;
  try {
    server = await side.start(cgroup);
    const row = await load(side, streams, { rate, messages, run, server, readers, tokens, post, cgroup });
    if (row.oomKills > 0) throw new Error('a process of the cgroup was killed during the load');
    return row;
  } catch (error) {
    for (const child of [server, ...readers]) child?.kill('SIGKILL');
    if ((cgroup?.oomKills() ?? 0) > 0)
      throw new Error(`killed by its ${limitMb} MB memory limit (cgroup OOM): ${error instanceof Error ? error.message : error}`);
    throw error;
  } finally {
    if (server && server.exitCode === null && server.signalCode === null) await new Promise((resolve) => server.once('exit', resolve));
    cgroup?.remove();
  }
}

async function load(side, streams, { rate, messages, run, server, readers, tokens, post, cgroup }) {
  await s.sleep(1000);
  const idle = s.proc(server.pid);
  const connectStarted = performance.now();
  readers.push(...(await openReaders(side.kind, run, side.port, side.path, tokens, streams, messages)));
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  await s.sleep(1000);
  const connected = s.proc(server.pid);
  const readersConnectedMb = readers.reduce((total, child) => total + s.proc(child.pid).rssMb - child.idleMb, 0);
  const before = [server, ...readers].map((child) => s.proc(child.pid).cpuSeconds);

  const started = performance.now();
  /** @type {Promise<number>[]} */
  const posted = [];
  for (let seq = 0; seq < messages; seq += 1) {
    const wait = started + (seq * 1000) / rate - performance.now();
    if (wait > 1) await s.sleep(wait);
    // Sent on time, not one after another: a slow answer must not slow the rate down.
    posted.push(post(`bench ${run} ${seq}`));
  }
  const createdAt = await Promise.all(posted);
  const postSeconds = (performance.now() - started) / 1000;
  const summaries = readers.map((child) => child.reply('summary'));
  for (const child of readers) child.send({ type: 'finish', expected: messages, graceMs: 10_000, createdAt });
  const results = (await Promise.all(summaries)).map((message) => message.summary);
  const wall = (performance.now() - started) / 1000;
  const after = [server, ...readers].map((child) => s.proc(child.pid));
  const cpu = after.map((p, i) => (100 * (p.cpuSeconds - before[i])) / wall);
  const cgroupPeakMb = cgroup?.peakMb();
  const cgroupAnonMb = cgroup?.anonMb();
  const oomKills = cgroup?.oomKills() ?? 0;
  for (const child of readers) child.kill();
  await s.stopProcess(server);

  const merged = new Map();
  let overflow = 0;
  for (const r of results) {
    overflow += r.overflow;
    for (const [bucket, n] of r.buckets) merged.set(bucket, (merged.get(bucket) ?? 0) + n);
  }
  const buckets = [...merged].sort((a, b) => a[0] - b[0]);
  const sum = (key) => results.reduce((total, r) => total + r[key], 0);
  const held = streams - sum('refused'); // memory per stream is per stream held
  return {
    side: side.name,
    streams,
    rate,
    refused: sum('refused'),
    expected: sum('expected'),
    lost: sum('expected') - sum('received'),
    duplicates: sum('duplicates'),
    p50: percentile(buckets, overflow, 0.5),
    p99: percentile(buckets, overflow, 0.99),
    idleMb: idle.rssMb,
    connectedMb: connected.rssMb,
    peakMb: after[0].peakMb,
    cgroupPeakMb,
    cgroupAnonMb,
    memoryMb: side.memoryMb,
    oomKills,
    kbPerStream: ((after[0].peakMb - idle.rssMb) * 1024) / held,
    kbAtRest: ((connected.rssMb - idle.rssMb) * 1024) / held,
    serverCpu: cpu[0],
    readerCpu: cpu.slice(1),
    readerKbPerStream: (readersConnectedMb * 1024) / streams,
    connectSeconds,
    postSeconds,
  };
}

/** A latency past the histogram's 10 s is shown as such. */
const ms = (value) => (Number.isFinite(value) ? value.toFixed(1) : '>10000');

function printTable(rows) {
  console.log(
    `\n${DELIVERIES.toLocaleString('en')} deliveries/s in total for ${SECONDS} s at each point; latency from the POST's 201 to receipt (ms);`,
  );
  console.log('lost: not received 10 s after the last POST; twice: received more than once;');
  console.log(
    'RSS in MB (idle: started, no stream; conn: streams open, no load; peak: VmHWM); KB/stream = (peak - idle) / streams held, at rest = (conn - idle) / streams held;',
  );
  console.log(
    "cgroup: the peak the server's memory cgroup charged (MB; push's limited to its manifest memory; page cache included), '-' where no cgroup could be made;",
  );
  console.log(`CPU in % of one core while posting (server; each of the ${READERS} reader processes); posted: seconds the posting took`);
  console.log(
    '| side      | streams | refused | msg/s | deliveries | lost | twice |  p50 |   p99 | idle | conn | peak | KB/stream | at rest | cgroup | server CPU | reader CPU | posted |',
  );
  console.log(
    '|-----------|---------|---------|-------|------------|------|-------|------|-------|------|------|------|-----------|---------|--------|------------|------------|--------|',
  );
  for (const r of rows) {
    if (r.failed) {
      console.log(`| ${r.side.padEnd(9)} | ${String(r.streams).padStart(7)} | FAILED: ${r.failed}`);
      continue;
    }
    const cells = [
      r.side.padEnd(9),
      String(r.streams).padStart(7),
      String(r.refused).padStart(7),
      (Number.isInteger(r.rate) ? String(r.rate) : r.rate.toFixed(1)).padStart(5),
      String(r.expected).padStart(10),
      String(r.lost).padStart(4),
      String(r.duplicates).padStart(5),
      ms(r.p50).padStart(4),
      ms(r.p99).padStart(5),
      r.idleMb.toFixed(0).padStart(4),
      r.connectedMb.toFixed(0).padStart(4),
      r.peakMb.toFixed(0).padStart(4),
      r.kbPerStream.toFixed(1).padStart(9),
      r.kbAtRest.toFixed(1).padStart(7),
      (r.cgroupPeakMb === undefined ? '-' : r.cgroupPeakMb.toFixed(0)).padStart(6),
      `${r.serverCpu.toFixed(0)}%`.padStart(10),
      r.readerCpu
        .map((c) => `${c.toFixed(0)}%`)
        .join(' ')
        .padStart(10),
      `${r.postSeconds.toFixed(1)}s`.padStart(6),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

/** The issue's targets, each printed as ok or MISS with its figure. */
function checks(rows) {
  const at = (side, streams) => rows.find((r) => r.side === side && r.streams === streams);
  const list = [];
  for (const streams of POINTS) {
    const push = at('push', streams);
    if (!push) continue;
    if (push.failed) {
      list.push([`push ${streams}: failed (${push.failed})`, false]);
      continue;
    }
    list.push([
      `push ${streams}: ${streams - push.refused} of ${streams} streams held, ${push.refused} refused (target: all)`,
      push.refused === 0,
    ]);
    list.push([`push ${streams}: lost ${push.lost}, twice ${push.duplicates} (target 0, 0)`, push.lost === 0 && push.duplicates === 0]);
    list.push([`push ${streams}: p99 ${ms(push.p99)} ms (target < 100)`, push.p99 < 100]);
    const sio = at('socket.io', streams);
    if (sio && !sio.failed) {
      list.push([`push/socket.io ${streams}: p99 ${(push.p99 / sio.p99).toFixed(2)} (target < 1)`, push.p99 < sio.p99]);
      list.push([
        `push/socket.io ${streams}: KB/stream ${(push.kbPerStream / sio.kbPerStream).toFixed(2)} (target < 1)`,
        push.kbPerStream < sio.kbPerStream,
      ]);
    }
    const sse = at('sse', streams);
    if (sse && !sse.failed)
      console.log(
        `push/bare SSE ${streams}: p99 ${(push.p99 / sse.p99).toFixed(2)}, KB/stream ${(push.kbPerStream / sse.kbPerStream).toFixed(2)} (no target)`,
      );
  }
  const top = at('push', Math.max(...POINTS));
  if (top && !top.failed) {
    if (top.cgroupPeakMb !== undefined) {
      // The charge includes page cache the kernel keeps until the limit presses: the kill is what decides.
      list.push([
        `push ${top.streams}: held in a ${top.memoryMb} MB memory cgroup, not killed; peak charge ${top.cgroupPeakMb.toFixed(0)} MB, ${top.cgroupAnonMb.toFixed(0)} MB of it anonymous after the load (target: within the manifest's memory)`,
        top.oomKills === 0,
      ]);
    }
    console.log(
      `push ${top.streams}: peak RSS ${top.peakMb.toFixed(0)} MB, the node binary's file pages included (the kernel reclaims those before it kills; no target)`,
    );
    list.push([`push ${top.streams}: ${top.kbPerStream.toFixed(1)} KB/stream (target < 6)`, top.kbPerStream < 6]);
  }
  const busiest = Math.max(...rows.flatMap((r) => r.readerCpu ?? []));
  const readerKb = Math.max(...rows.filter((r) => !r.failed).map((r) => r.readerKbPerStream));
  console.log(
    `reader processes: at most ${busiest.toFixed(0)}% of a core each (a reader near 100% would make the client side the bottleneck); at most ${readerKb.toFixed(1)} KB of RSS per open connection (over the idle reader, before the load)`,
  );
  console.log('');
  for (const [text, ok] of list) console.log(`${ok ? 'ok  ' : 'MISS'} ${text}`);
  return list.every(([, ok]) => ok);
}

async function main() {
  const limit = s.openFileLimit();
  if (limit < Math.max(...POINTS) + 200)
    throw new Error(`open file limit ${limit} is below ${Math.max(...POINTS) + 200}: raise it (ulimit -n) before running`);
  console.log('building apps/push and apps/messages ...');
  execFileSync(
    'npx',
    ['tsc', '-b', 'apps/push/tsconfig.build.json', 'apps/messages/tsconfig.build.json', 'packages/platform/tsconfig.build.json'],
    { cwd: s.root, stdio: 'inherit' },
  );
  const { startRedisServer, freePort } = require('@bundle/kit/testing');
  const redis = await startRedisServer();
  s.children.push(redis.process);
  const { jwksUrl, tokens } = await s.tokenIssuer(USERS);
  const apps = s.manifestApps();
  // As deployed: NODE_OPTIONS is the heap cap manifest.yml gives the app to fit its memory.
  const appEnv = (app, port) => ({
    HOST: '127.0.0.1',
    PORT: String(port),
    EVENT_BUS_URL: redis.url,
    JWKS_URL: jwksUrl,
    TOKEN_ISSUER: s.ISSUER,
    TOKEN_AUDIENCE: s.AUDIENCE,
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    NODE_OPTIONS: `${apps.get(app)?.env.NODE_OPTIONS ?? ''} ${process.env.APP_NODE_OPTIONS ?? ''}`.trim(),
  });

  const messagesPort = await freePort();
  const messagesUrl = `http://127.0.0.1:${messagesPort}`;
  // One user posts every message: its per-user post rate (POST_RATE_LIMIT per 10 s) is
  // lifted to the bench's own, 200 messages/s at 1,000 streams.
  const postRateLimit = String(Math.ceil((DELIVERIES / Math.min(...POINTS)) * 10 * 2));
  await s.startProcess(
    'messages',
    'apps/messages/dist/main.js',
    { ...appEnv('messages', messagesPort), MESSAGES_DB_URL: redis.url, POST_RATE_LIMIT: postRateLimit },
    s.answers(messagesUrl),
  );
  const post = (text) => s.postMessage(messagesUrl, tokens[0], text);

  /** Each side starts a fresh server on a new port (the port is read by point()). */
  const side = (name, kind, path, script, env, ready, memoryMb) => {
    const entry = {
      name,
      kind,
      path,
      port: 0,
      memoryMb,
      async start(cgroup) {
        entry.port = await freePort();
        return s.startProcess(name, script, env(entry.port), ready(`http://127.0.0.1:${entry.port}`), cgroup);
      },
    };
    return entry;
  };
  const all = {
    push: side(
      'push',
      'sse',
      '/api/events',
      'apps/push/dist/main.js',
      // Every reader connects from 127.0.0.1, standing for thousands of clients: the per-address cap is lifted to the largest point.
      (port) => ({ ...appEnv('push', port), MAX_STREAMS_PER_ADDRESS: String(Math.max(...POINTS)) }),
      s.answers,
      apps.get('push')?.memoryMb,
    ),
    'socket.io': side(
      'socket.io',
      'socket.io',
      '/socket.io/',
      'bench/push/socketio.js',
      (port) => ({ EVENT_BUS_URL: redis.url, PORT: String(port), JWKS_URL: jwksUrl, TOKEN_ISSUER: s.ISSUER, TOKEN_AUDIENCE: s.AUDIENCE }),
      () => s.logSays('"msg":"listening"'),
    ),
    sse: side(
      'sse',
      'sse',
      '/',
      'bench/push/baseline.js',
      (port) => ({ EVENT_BUS_URL: redis.url, PORT: String(port) }),
      () => s.logSays('"msg":"listening"'),
    ),
  };
  console.log(
    `bench/push: one instance per side; ${USERS} users, at most ${STREAMS_PER_USER} streams each (push's MAX_STREAMS_PER_USER default); ${READERS} reader processes`,
  );
  const rows = [];
  // Sides take turns at each point, so a neighbour's burst on a shared machine spreads over them.
  for (const streams of POINTS) {
    for (const name of SIDES) {
      // A side that fails at a point (its server dies, say of memory) is a row that says so.
      const row = await point(all[name], streams, tokens, post).catch((error) => ({
        side: name,
        streams,
        failed: error instanceof Error ? error.message : String(error),
      }));
      if (row.failed) {
        console.log(`  ${name} ${streams} streams: FAILED (${row.failed})`);
      } else
        console.log(
          `  ${name} ${streams} streams (opened in ${row.connectSeconds.toFixed(1)} s, ${row.refused} refused): p99 ${ms(row.p99)} ms, lost ${row.lost}, peak ${row.peakMb.toFixed(0)} MB`,
        );
      rows.push(row);
    }
  }
  printTable(rows);
  const ok = checks(rows);
  s.postAgent.destroy();
  await redis.stop();
  return ok;
}

main().then(
  (ok) => {
    s.killAll();
    process.exit(ok ? 0 : 1);
  },
  (error) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : error}`);
    s.killAll();
    process.exit(1);
  },
);
