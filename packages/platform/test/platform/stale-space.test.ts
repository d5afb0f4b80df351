import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { lines, script } from '../../../../scripts/lib/testing/run-script';
import { ROOT } from './helpers';

// A supervisor killed outright (kill -9, an out-of-memory kill) leaves its state file and
// the processes it started: its Redis among them, still writing the space's data. A process
// of this checkout stands in for them here, recorded as the dead supervisor would have.

const SPACE = `stale-${process.pid}`;
const dataDir = join(ROOT, '.local', SPACE);
let leftover: ChildProcess;

/** A pid no process has now: one of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await once(child, 'exit');
  return child.pid as number;
}

/** Records the dead supervisor's state, started at `startedAt`, with the leftover's pid. */
async function writeStaleState(startedAt = new Date()): Promise<void> {
  const state = {
    space: SPACE,
    pid: await deadPid(),
    url: 'http://localhost:1',
    router_port: 1,
    socket: join(dataDir, 'control.sock'),
    redis: '',
    started_at: startedAt.toISOString(),
    pids: [leftover.pid],
  };
  writeFileSync(join(dataDir, 'state.json'), JSON.stringify(state));
}

beforeEach(async () => {
  leftover = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { cwd: ROOT, detached: true, stdio: 'ignore' });
  mkdirSync(dataDir, { recursive: true });
  await writeStaleState();
});
afterEach(() => {
  if (leftover.exitCode === null && leftover.signalCode === null) leftover.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a space whose supervisor died', () => {
  test('when its status is asked, then it says the space is not running and that processes were left, which scripts/stop stops', async () => {
    const result = await script('status', [SPACE]);
    expect([result.status, lines(result.stderr)]).toEqual([
      1,
      [`status: space ${SPACE} is not running: its supervisor died and left 1 process running (scripts/stop ${SPACE} stops it)`],
    ]);
  });

  test('when its state was written before the machine last booted, then no pid in it is signalled (each names something else now) and the state is let go', async () => {
    await writeStaleState(new Date('2000-01-01T00:00:00Z'));
    const result = await script('stop', [SPACE]);
    expect([result.status, result.stdout.trim(), leftover.exitCode, leftover.signalCode]).toEqual([
      0,
      `stop: space ${SPACE} was not running (stale state removed)`,
      null,
      null,
    ]);
    expect(existsSync(join(dataDir, 'state.json'))).toBe(false);
  });

  test('when it is started again, then what the dead supervisor left is stopped first (never two Redis servers on one data folder)', async () => {
    const exited = once(leftover, 'exit').then(() => 'exited');
    // A manifest with no app: the start fails right after the clean-up, so no space comes up here.
    writeFileSync(join(dataDir, 'empty-manifest.yml'), 'applications: []\n');
    const result = await script('start', [SPACE, '--manifest', join(dataDir, 'empty-manifest.yml')]);
    expect(await Promise.race([exited, delay(20_000, 'still running', { ref: false })])).toBe('exited');
    expect(lines(result.stdout)).toContain(`start: space ${SPACE}: its last supervisor died; stopped the 1 process it left running`);
    expect(existsSync(join(dataDir, 'state.json'))).toBe(false);
  });
});
