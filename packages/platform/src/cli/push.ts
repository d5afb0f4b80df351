import { controlJson } from '../local/control';
import type { PushResult } from '../local/rolling-push';
import { dataDirOf, fail, parseArgs, varsOf } from './common';

/**
 * A rolling push to a running local space (what `scripts/push <space> --target local`
 * calls after building): node packages/platform/dist/cli/push.js <space> [--version v]
 * [--app name]... [--var name=value]...; exits 1 with one line when the push stops.
 */
export async function main(argv: string[]): Promise<void> {
  const args = parseArgs('push', argv, [], ['--version', '--app', '--var']);
  const spaceName = args.positional[0];
  if (!spaceName) fail('push', 'which space? e.g. push staging --version 1.2.3', 2);
  const request = { version: args.options.get('--version')?.pop(), apps: args.options.get('--app'), vars: varsOf('push', args.options.get('--var') ?? []) };
  process.stdout.write(`push: rolling push to local space ${spaceName}${request.version ? ` (version ${request.version})` : ''}\n`);
  const { status, body } = await controlJson<PushResult & { error?: { message: string } }>(dataDirOf(spaceName), 'POST', '/push', request).catch((error: Error) => fail('push', error.message));
  if (status !== 200) fail('push', body.error?.message ?? `failed with ${status}`);
  process.stdout.write(`push: ${body.apps.join(', ')} pushed in ${(body.ms / 1000).toFixed(1)} s (${body.steps.length} instances replaced one at a time)\n`);
}

if (require.main === module) void main(process.argv.slice(2));
