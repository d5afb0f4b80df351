import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { startRedisServer, type RedisServer } from '@bundle/kit/testing';

/**
 * The built worker (dist/worker.js) as the platform runs it, against a Redis of its own
 * that the test can take away: SIGTERM must end it, with exit 0, whether Redis is there
 * (the round finishes, Redis is quit) or gone (past SHUTDOWN_GRACE_MS the clients are
 * closed under the round). A worker that waited for Redis would outlive its runner.
 */
const ROOT = resolve(__dirname, '../../../..');

jest.setTimeout(30_000);

/** The worker's stdout as JSON lines, and a way to wait for one. */
function startWorker(redisUrl: string): {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  waitFor(msg: string): Promise<void>;
} {
  const child = spawn(process.execPath, [resolve(ROOT, 'apps/messages/dist/worker.js')], {
    env: { PATH: process.env.PATH, REDIS_URL: redisUrl, SHUTDOWN_GRACE_MS: '1000', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{ msg: string; resolve: () => void }> = [];
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = rest + String(chunk);
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) {
      const line = JSON.parse(part) as Record<string, unknown>;
      lines.push(line);
      for (const waiter of waiters.filter((candidate) => candidate.msg === line.msg)) waiter.resolve();
    }
  });
  const waitFor = (msg: string) =>
    lines.some((line) => line.msg === msg) ? Promise.resolve() : new Promise<void>((done) => waiters.push({ msg, resolve: done }));
  return { child, lines, waitFor };
}

let redis: RedisServer | undefined;
afterEach(async () => {
  await redis?.stop().catch(() => undefined);
  redis = undefined;
});

describe('the messages worker on SIGTERM', () => {
  test('when Redis is there, then the round finishes, Redis is quit and it exits 0 with no grace warning', async () => {
    redis = await startRedisServer();
    const worker = startWorker(redis.url);
    await worker.waitFor('consuming the event bus');
    const exited = once(worker.child, 'exit');
    worker.child.kill('SIGTERM');
    const [code] = await exited;
    expect([code, worker.lines.filter((line) => line.level === 40).map((line) => line.msg), worker.lines.at(-1)?.msg]).toEqual([
      0,
      [],
      'stopped',
    ]);
  });

  test('when Redis has gone away, then it still exits 0, once the grace is over, saying it closed Redis under the round', async () => {
    redis = await startRedisServer();
    const worker = startWorker(redis.url);
    await worker.waitFor('consuming the event bus');
    const unavailable = worker.waitFor('redis unavailable, reconnecting');
    await redis.stop();
    await unavailable;
    const exited = once(worker.child, 'exit');
    worker.child.kill('SIGTERM');
    const [code] = await exited;
    expect([
      code,
      worker.lines.some((line) => line.msg === 'grace period over: closing Redis under the round in progress'),
      worker.lines.at(-1)?.msg,
    ]).toEqual([0, true, 'stopped']);
  });
});
