import { controlJson } from '../local/control';
import { formatStatus, type SpaceStatus } from '../local/status';
import { dataDirOf, fail, parseArgs } from './common';

/** scripts/status <space> [--json]: like `cf apps` and `cf app` together. */
export async function main(argv: string[]): Promise<void> {
  const args = parseArgs('status', argv, ['--json']);
  const spaceName = args.positional[0] ?? 'dev';
  const { body } = await controlJson<SpaceStatus>(dataDirOf(spaceName), 'GET', '/status').catch((error: Error) => fail('status', error.message));
  process.stdout.write(args.flags.has('--json') ? `${JSON.stringify(body, null, 2)}\n` : `${formatStatus(body)}\n`);
}
