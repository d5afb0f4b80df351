import { controlJson, isAlive, readState, stopLeftovers } from '../local/control';
import { dataDirOf, fail, parseCommand, spaceArgument, type Command } from './common';

export const COMMAND: Command = {
  name: 'stop',
  usage: 'usage: scripts/stop [space]',
  about: 'Stops a running space: every instance drains, then the router and its Redis.',
  positionals: ['[space]  the space (default dev)'],
  maxPositionals: 1,
  options: {},
};

/** --help and bad arguments answer and exit here. */
export const parse = (argv: string[]): { space: string } => ({ space: spaceArgument(COMMAND, parseCommand(argv, COMMAND).positionals[0]) });

/** scripts/stop <space>: asks the supervisor to stop everything and waits until it has. */
export async function main(argv: string[]): Promise<void> {
  const spaceName = parse(argv).space;
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
