// bench/push: two push instances, 1,000 SSE clients, messages posted to the messages app at
// 200/s for 20 s, beside a bare node:http fan-out reading the same Redis stream. Latency is
// from the POST's 201 to the client's receipt. Run from the repository root:
//   node bench/push/run.js            (CLIENTS, RATE, SECONDS override the defaults)
// It builds the push and messages apps, starts its own redis-server and JWKS server on
// 127.0.0.1, and kills every child it started when it ends, whether it succeeded or not.
'use strict';
const { execFileSync, fork, spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const http = require('node:http');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const root = join(__dirname, '..', '..');
const CLIENTS = Number(process.env.CLIENTS ?? 1000);
const RATE = Number(process.env.RATE ?? 200);
const SECONDS = Number(process.env.SECONDS ?? 20);
const MESSAGES = RATE * SECONDS;
const USERS = 100; // clients share 100 accounts, as tabs of the same people would
const ISSUER = 'urn:chat:tokens';
const AUDIENCE = 'urn:chat:api';

/** @type {import('node:child_process').ChildProcess[]} */
const children = [];
/** @type {Array<{ close(): void }>} */
const servers = [];
const killAll = () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const server of servers) server.close();
};
process.on('exit', killAll);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => process.exit(130));

/** Resolves when a child prints a JSON log line with msg "listening". @param {import('node:child_process').ChildProcess} child */
function listening(child) {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (/** @type {Buffer} */ chunk) => {
      output += chunk.toString();
      if (output.includes('"msg":"listening"')) resolve(undefined);
    });
    child.stderr?.on('data', (/** @type {Buffer} */ chunk) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`child exited with ${code}: ${output.trim().split('\n').slice(-3).join(' | ')}`)));
  });
}

/** The env manifest.yml gives each app, by app name (read once). @returns {Map<string, Record<string, string>>} */
function manifestEnvs() {
  const { readManifest } = require('@bundle/platform');
  const manifest = readManifest(join(root, 'manifest.yml'), { varsFiles: [join(root, 'vars', 'dev.yml')] });
  return new Map(manifest.apps.map((/** @type {{ name: string, env: Record<string, string> }} */ spec) => [spec.name, spec.env]));
}

/** @param {string} script @param {Record<string, string>} env */
async function startProcess(script, env) {
  const child = spawn(process.execPath, [script], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  await listening(child);
  return child;
}

/** @param {number | undefined} pid */
function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

/** @param {string} url */
async function waitReady(url) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const status = await new Promise((resolve) => http.get(`${url}/ready`, (res) => (res.resume(), resolve(res.statusCode))).on('error', () => resolve(0)));
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never became ready`);
}

const postAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });

/**
 * POST /api/messages as a signed-in user; resolves with the time of the 201 (epoch ms).
 * @param {string} url @param {string} token @param {string} text @returns {Promise<number>}
 */
function postMessage(url, token, text) {
  const body = JSON.stringify({ text });
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/api/messages`, { method: 'POST', agent: postAgent, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      const at = performance.timeOrigin + performance.now();
      res.resume();
      res.on('end', () => (res.statusCode === 201 ? resolve(at) : reject(new Error(`POST /api/messages answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * One side of the comparison: connect the clients, post at RATE for SECONDS, collect.
 * @param {string} run @param {{ url: string, count: number, token: string }[]} targets
 * @param {(text: string) => Promise<number>} post
 */
async function measure(run, targets, post) {
  const clients = fork(join(__dirname, 'clients.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(clients);
  /** @param {string} type */
  const reply = (type) =>
    new Promise((resolve, reject) => {
      clients.on('message', (/** @type {any} */ message) => {
        if (message.type === type) resolve(message);
        if (message.type === 'failed') reject(new Error(message.message));
      });
      clients.once('exit', (code) => reject(new Error(`client process exited with ${code}`)));
    });
  const connected = reply('connected');
  clients.send({ type: 'connect', run, targets, messages: MESSAGES });
  await connected;
  console.log(`  ${run}: ${CLIENTS} clients connected; posting ${MESSAGES} messages at ${RATE}/s`);

  const started = performance.now();
  /** @type {Promise<number>[]} */
  const posted = [];
  for (let seq = 0; seq < MESSAGES; seq += 1) {
    const due = started + (seq * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    // Sent on time, not one after another: a slow answer must not slow the rate down.
    posted.push(post(`bench ${run} ${seq}`));
  }
  const createdAt = await Promise.all(posted);
  const publishSeconds = (performance.now() - started) / 1000;
  const summary = reply('summary');
  clients.send({ type: 'finish', expected: MESSAGES, graceMs: 10_000, createdAt });
  const result = /** @type {any} */ (await summary).summary;
  clients.kill();
  return { ...result, publishSeconds };
}

async function main() {
  console.log('building apps/push ...');
  execFileSync('npx', ['tsc', '-b', 'apps/push/tsconfig.build.json', 'apps/messages/tsconfig.build.json', 'packages/platform/tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  const { startRedisServer, freePort } = require('@bundle/kit/testing');
  const { exportJWK, generateKeyPair, SignJWT } = require('jose');

  const redis = await startRedisServer();
  children.push(redis.process);

  // A JWKS the bench controls, so it can sign its own tokens.
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' }] });
  const jwksServer = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(jwks));
  servers.push(jwksServer);
  await new Promise((resolve) => jwksServer.listen(0, '127.0.0.1', () => resolve(undefined)));
  const jwksPort = /** @type {import('node:net').AddressInfo} */ (jwksServer.address()).port;
  /** @type {string[]} */
  const tokens = [];
  for (let i = 0; i < USERS; i += 1) {
    tokens.push(
      await new SignJWT({ nickname: `bench${i}` }).setProtectedHeader({ alg: 'ES256', kid: 'bench' }).setSubject(`bench-user-${i}`).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('2h').setJti(`bench-${i}`).sign(privateKey),
    );
  }
  /** @param {string[]} urls */
  const spread = (urls) => {
    /** @type {{ url: string, count: number, token: string }[]} */
    const targets = [];
    for (let i = 0; i < CLIENTS; i += 1) targets.push({ url: String(urls[i % urls.length]), count: 1, token: String(tokens[i % USERS]) });
    return targets;
  };

  // What every app started here is given; NODE_OPTIONS as deployed: the heap cap
  // manifest.yml gives the app to fit its memory limit.
  const envs = manifestEnvs();
  /** @param {string} app @param {number} port */
  const appEnv = (app, port) => ({
    HOST: '127.0.0.1',
    PORT: String(port),
    EVENT_BUS_URL: redis.url,
    JWKS_URL: `http://127.0.0.1:${jwksPort}/jwks.json`,
    TOKEN_ISSUER: ISSUER,
    TOKEN_AUDIENCE: AUDIENCE,
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    NODE_OPTIONS: envs.get(app)?.NODE_OPTIONS ?? '',
  });

  // The messages app the messages are posted to (its store and the bus share the redis).
  const messagesPort = await freePort();
  const messagesUrl = `http://127.0.0.1:${messagesPort}`;
  // One user posts every message: its per-user post rate is lifted to the bench's own.
  await startProcess('apps/messages/dist/main.js', { ...appEnv('messages', messagesPort), MESSAGES_DB_URL: redis.url, POST_RATE_LIMIT: String(MESSAGES) });
  await waitReady(messagesUrl);
  const post = (/** @type {string} */ text) => postMessage(messagesUrl, String(tokens[0]), text);

  console.log('push: two instances');
  const pushPorts = [await freePort(), await freePort()];
  const pushes = [];
  for (const port of pushPorts) pushes.push(await startProcess('apps/push/dist/main.js', appEnv('push', port)));
  const pushUrls = pushPorts.map((port) => `http://127.0.0.1:${port}`);
  for (const url of pushUrls) await waitReady(url);
  const push = await measure('push', spread(pushUrls), post);
  const pushRss = pushes.map((child) => peakRssMb(child.pid));
  for (const child of pushes) child.kill('SIGTERM');

  console.log('baseline: one bare node:http SSE server');
  const basePort = await freePort();
  const baseline = await startProcess('bench/push/baseline.js', { EVENT_BUS_URL: redis.url, PORT: String(basePort) });
  const base = await measure('base', spread([`http://127.0.0.1:${basePort}`]), post);
  const baseRss = [peakRssMb(baseline.pid)];

  const row = (/** @type {string} */ name, /** @type {any} */ r, /** @type {number[]} */ rss) =>
    `| ${name.padEnd(26)} | ${String(r.clients).padStart(7)} | ${String(r.expected).padStart(9)} | ${String(r.lost).padStart(5)} | ${String(r.duplicates).padStart(5)} | ${r.p50.toFixed(1).padStart(7)} | ${r.p99.toFixed(1).padStart(7)} | ${r.max.toFixed(1).padStart(7)} | ${rss.map((mb) => mb.toFixed(0)).join(' / ').padStart(11)} |`;
  console.log(`\n${CLIENTS} SSE clients, ${RATE} messages/s for ${SECONDS} s (latency: the POST's 201 -> receipt, ms; RSS: peak, MB)`);
  console.log('| side                       | clients | deliveries| lost  | twice | p50 ms  | p99 ms  | max ms  | peak RSS MB |');
  console.log('|----------------------------|---------|-----------|-------|-------|---------|---------|---------|-------------|');
  console.log(row('push (2 instances)', push, pushRss));
  console.log(row('baseline (bare node:http)', base, baseRss));
  console.log(`posting took ${push.publishSeconds.toFixed(1)} s (push) and ${base.publishSeconds.toFixed(1)} s (baseline)`);
  const ok = push.lost === 0 && push.duplicates === 0 && push.p50 < 20 && push.p99 < 100 && pushRss.every((mb) => mb < 128);
  console.log(`targets (nothing lost or twice, p50 < 20 ms, p99 < 100 ms, RSS < 128 MB): ${ok ? 'met' : 'NOT met'}`);
  postAgent.destroy();
  await redis.stop();
  return ok;
}

main().then(
  (ok) => {
    killAll();
    process.exit(ok ? 0 : 1);
  },
  (error) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : error}`);
    killAll();
    process.exit(1);
  },
);
