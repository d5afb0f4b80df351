// What bench/push starts around the servers it measures, and the probes it reads them with:
// child processes (logs to files, every one killed when the bench exits), a JWKS the bench
// signs its own tokens with, the messages app the messages are posted to, /proc readings.
'use strict';
const { spawn } = require('node:child_process');
const { readFileSync, openSync, closeSync } = require('node:fs');
const http = require('node:http');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const root = join(__dirname, '..', '..');
const ISSUER = 'urn:chat:tokens';
const AUDIENCE = 'urn:chat:api';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @type {import('node:child_process').ChildProcess[]} */
const children = [];
/** @type {Array<{ close(): void }>} */
const servers = [];
function killAll() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const server of servers) server.close();
}
process.on('exit', killAll);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => process.exit(130));

/**
 * Starts `node script` with its output in a file, inside `cgroup` when given (cgroup.js);
 * resolves once `ready()` is true (bounded).
 */
async function startProcess(name, script, env, ready, cgroup) {
  const logFile = join(tmpdir(), `bench-push-${name}.log`);
  const log = openSync(logFile, 'w');
  const [command, args] = cgroup ? cgroup.command(script) : [process.execPath, [script]];
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  closeSync(log);
  children.push(child);
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (child.exitCode !== null) break;
    if (await ready(logFile)) return child;
    await sleep(100);
  }
  const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ');
  throw new Error(`${name} did not start: ${tail}`);
}

/** Stops a server and waits for it (bounded): SIGTERM lets push count its streams out of presence. */
async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  if ((await Promise.race([exited, sleep(15_000).then(() => 'late')])) === 'late') child.kill('SIGKILL');
}

const logSays = (text) => async (logFile) => readFileSync(logFile, 'utf8').includes(text);
const answers = (url) => async () =>
  (await new Promise((resolve) =>
    http.get(`${url}/ready`, (res) => (res.resume(), resolve(res.statusCode))).on('error', () => resolve(0)),
  )) === 200;

/** From /proc: resident and peak resident memory (MB), CPU time used (s). */
function proc(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100 };
}

/** The open-file limit children inherit (they cannot raise it past the hard limit). */
function openFileLimit() {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  return Number(line?.split(/\s+/)[3]);
}

/** A JWKS served on 127.0.0.1 and `users` signed tokens (users bench-user-0..n-1). */
async function tokenIssuer(users) {
  const { exportJWK, generateKeyPair, SignJWT } = require('jose');
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' }] });
  const server = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(jwks));
  servers.push(server);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  const tokens = [];
  for (let i = 0; i < users; i += 1) {
    tokens.push(
      await new SignJWT({ nickname: `bench${i}` })
        .setProtectedHeader({ alg: 'ES256', kid: 'bench' })
        .setSubject(`bench-user-${i}`)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('2h')
        .setJti(`bench-${i}`)
        .sign(privateKey),
    );
  }
  return { jwksUrl: `http://127.0.0.1:${port}/jwks.json`, tokens };
}

/** What manifest.yml gives each app (its env; its web process's memory in MB), by app name. */
function manifestApps() {
  const { readManifest } = require('@bundle/platform');
  const manifest = readManifest(join(root, 'manifest.yml'), { varsFiles: [join(root, 'vars', 'dev.yml')] });
  return new Map(
    manifest.apps.map((/** @type {{ name: string, env: Record<string, string>, processes: Array<{ memoryMb: number }> }} */ spec) => [
      spec.name,
      { env: spec.env, memoryMb: spec.processes[0]?.memoryMb },
    ]),
  );
}

const postAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });

/** POST /api/messages as a signed-in user; resolves with the time of the 201 (epoch ms). */
function postMessage(url, token, text) {
  const body = JSON.stringify({ text });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/api/messages`,
      {
        method: 'POST',
        agent: postAgent,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        const at = performance.timeOrigin + performance.now();
        res.resume();
        res.on('end', () => (res.statusCode === 201 ? resolve(at) : reject(new Error(`POST /api/messages answered ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

module.exports = {
  root,
  ISSUER,
  AUDIENCE,
  sleep,
  children,
  killAll,
  startProcess,
  stopProcess,
  logSays,
  answers,
  proc,
  openFileLimit,
  tokenIssuer,
  manifestApps,
  postMessage,
  postAgent,
};
