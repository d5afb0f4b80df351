import { controlJson } from '../local/control';
import { formatStatus, type SpaceStatus } from '../local/status';
import { dataDirOf, fail } from './common';

/** scripts/status <space> [--json]: like `cf apps` and `cf app` together. */
export async function main(args: { space: string; json: boolean }): Promise<void> {
  const spaceName = args.space;
  const { body } = await controlJson<SpaceStatus>(dataDirOf(spaceName), 'GET', '/status').catch((error: Error) =>
    fail('status', error.message),
  );
  process.stdout.write(args.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatStatus(body)}\n`);
}
