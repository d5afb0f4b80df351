import { controlJson, isAlive, readState, stopLeftovers } from '../local/control';
import { dataDirOf, fail } from './common';

/** scripts/stop <space>: asks the supervisor to stop everything and waits until it has. */
export async function main(spaceName: string): Promise<void> {
  const dataDir = dataDirOf(spaceName);
  const state = readState(dataDir);
  if (!state) return void process.stdout.write(`stop: space ${spaceName} is not running\n`);
  if (!isAlive(state.pid)) {
    // The supervisor died without cleaning up: stop what it had started.
    const left = (await stopLeftovers(dataDir)) ?? 0;
    return void process.stdout.write(
      `stop: space ${spaceName} was not running (stale state removed${left ? `, ${left} leftover processes stopped` : ''})\n`,
    );
  }
  process.stdout.write(`stop: stopping space ${spaceName} (pid ${state.pid})\n`);
  await controlJson(dataDir, 'POST', '/stop').catch((error: Error) => fail('stop', error.message));
  const deadline = Date.now() + 30_000;
  while (isAlive(state.pid)) {
    if (Date.now() > deadline) fail('stop', `the supervisor (pid ${state.pid}) did not stop within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.stdout.write(`stop: space ${spaceName} stopped\n`);
}
