import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allocateTestDatabase, freePort } from '@bundle/kit/testing';

/**
 * The users app as Cloud Foundry runs it (the built dist/main.js, the manifest's
 * NODE_OPTIONS, a real Redis), under a burst of registrations and credential checks.
 * Its resident memory must stay under 128 MiB, the bound we hold it to (the manifest's
 * `memory: 160M` leaves room above it for another Node or libc; the platform enforces
 * the quota by killing the instance). scrypt's memory lives outside the JavaScript heap,
 * so --max-old-space-size alone does not bound it: the hash gate does.
 */
const ROOT = resolve(__dirname, '../../../..');
const LIMIT_MB = 128; // under manifest.yml's memory: 160M, with room to spare
const SERVICE_KEY = 'platform-test-service-key-0123456789';

let child: ChildProcess;
let port: number;
let exited: Promise<unknown>;

/** VmRSS and VmHWM (the peak so far) of a process, in MB, from /proc. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function waitUntilHealthy(): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`users exited with ${child.exitCode} before it was healthy`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error('users did not answer /health within 200 attempts');
}

beforeAll(async () => {
  const build = spawnSync(join(ROOT, 'scripts', 'build'), { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`scripts/build failed: ${build.stderr || build.stdout}`);
  port = await freePort();
  child = spawn(process.execPath, [join(ROOT, 'apps/users/dist/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_OPTIONS: '--max-old-space-size=80 --max-semi-space-size=2', // as manifest.yml sets it for users
      REDIS_URL: await allocateTestDatabase(),
      SERVICE_KEY,
      LOG_LEVEL: 'warn',
      // Every request here comes from one address: the memory bound is under test, not the rate.
      REGISTRATIONS_PER_ADDRESS: '1000',
      // Whatever the settings under test are (HASH_CONCURRENCY, HASH_QUEUE_LIMIT), they come from the caller's environment.
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('HASH_'))),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  exited = once(child, 'exit');
  await waitUntilHealthy();
});

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await exited;
  }
});

/** Runs a burst while sampling VmRSS every 10 ms; returns the answers and the highest sample. */
async function burst(
  requests: Array<() => Promise<Response>>,
): Promise<{ answers: Array<{ status: number; retryAfter: string | null }>; sampledPeak: number }> {
  let sampledPeak = 0;
  const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, memoryOf(child.pid!).rss)), 10);
  try {
    const responses = await Promise.all(requests.map((send) => send()));
    const answers = await Promise.all(
      responses.map(
        async (response) => (await response.arrayBuffer(), { status: response.status, retryAfter: response.headers.get('retry-after') }),
      ),
    );
    return { answers, sampledPeak };
  } finally {
    clearInterval(sampler);
  }
}

const post =
  (path: string, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

describe('users memory under load (manifest memory: 128M)', () => {
  test('when 20 registrations, then 20 credential checks, arrive at once, then every answer is 201/200 or 503 with Retry-After and peak RSS stays under 128 MB', async () => {
    const nicknames = Array.from({ length: 20 }, (_, index) => `mem_${process.pid}_${index}`);

    const registrations = await burst(nicknames.map((nickname) => post('/api/users', { nickname, password: 'correct horse battery' })));
    const checks = await burst(
      nicknames.map((nickname) =>
        post('/api/users/internal/credentials/verify', { nickname, password: 'correct horse battery' }, { 'x-service-key': SERVICE_KEY }),
      ),
    );
    const { rss, peak } = memoryOf(child.pid!);
    process.stdout.write(
      `users under 20 + 20 concurrent hashes: peak RSS (VmHWM) ${peak.toFixed(1)} MB, sampled peaks ${registrations.sampledPeak.toFixed(1)} / ${checks.sampledPeak.toFixed(1)} MB, now ${rss.toFixed(1)} MB; ` +
        `registrations ${JSON.stringify(count(registrations.answers))}, checks ${JSON.stringify(count(checks.answers))}\n`,
    );

    expect(child.exitCode).toBeNull();
    for (const answer of [...registrations.answers, ...checks.answers]) {
      expect(
        answer.status === 503 ? [503, answer.retryAfter] : [answer.status === 201 || answer.status === 200 || answer.status === 401],
      ).toEqual(answer.status === 503 ? [503, '1'] : [true]);
    }
    expect(registrations.answers.filter((answer) => answer.status === 201).length).toBeGreaterThan(0);
    expect(peak).toBeLessThan(LIMIT_MB);
  });
});

function count(answers: Array<{ status: number }>): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
