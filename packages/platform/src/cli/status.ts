import { controlJson } from '../local/control';
import { formatStatus, type SpaceStatus } from '../local/status';
import { dataDirOf, fail, parseCommand, spaceArgument, type Command } from './common';

export const COMMAND: Command = {
  name: 'status',
  usage: 'usage: scripts/status [space] [--json]',
  about: "A running space's apps, instances, ports, health, version and memory (like cf apps and cf app).",
  positionals: ['[space]  the space (default dev)'],
  maxPositionals: 1,
  options: { json: { type: 'boolean', doc: 'the whole status as JSON' } },
};

/** --help and bad arguments answer and exit here. */
export function parse(argv: string[]): { space: string; json: boolean } {
  const parsed = parseCommand(argv, COMMAND);
  return { space: spaceArgument(COMMAND, parsed.positionals[0]), json: parsed.values.json === true };
}

/** scripts/status <space> [--json]: like `cf apps` and `cf app` together. */
export async function main(argv: string[]): Promise<void> {
  const args = parse(argv);
  const spaceName = args.space;
  const { body } = await controlJson<SpaceStatus>(dataDirOf(spaceName), 'GET', '/status').catch((error: Error) =>
    fail('status', error.message),
  );
  process.stdout.write(args.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatStatus(body)}\n`);
}
