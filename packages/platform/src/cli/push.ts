import { controlJson } from '../local/control';
import type { PushResult } from '../local/rolling-push';
import { dataDirOf, fail, parseCommand, spaceArgument, strings, usageError, varsOf, type Command } from './common';

export const COMMAND: Command = {
  name: 'push',
  usage: 'usage: node packages/platform/dist/cli/push.js <space> [--version x.y.z] [--app name]... [--var name=value]...',
  about:
    'A rolling push to a running local space: each instance of each app replaced one at a time, each new one ready before the old one drains (scripts/push <space> --target local builds, then calls this).',
  positionals: ['<space>  a running local space'],
  maxPositionals: 1,
  options: {
    version: { type: 'string', value: 'x.y.z', doc: 'the version the apps report (APP_VERSION)' },
    app: { type: 'string', multiple: true, value: 'name', doc: 'only this app (again for more); default every app of the manifest' },
    var: { type: 'string', multiple: true, value: 'name=value', doc: 'a manifest variable, beating the vars files (like cf push --var)' },
  },
};

/**
 * A rolling push to a running local space (what `scripts/push <space> --target local`
 * calls after building): node packages/platform/dist/cli/push.js <space> [--version v]
 * [--app name]... [--var name=value]...; exits 1 with one line when the push stops.
 */
export async function main(argv: string[]): Promise<void> {
  const parsed = parseCommand(argv, COMMAND);
  if (parsed.positionals[0] === undefined) usageError(COMMAND, 'which space? e.g. push staging --version 1.2.3');
  const spaceName = spaceArgument(COMMAND, parsed.positionals[0]);
  const apps = strings(parsed, 'app');
  const request = {
    version: strings(parsed, 'version').pop(),
    apps: apps.length > 0 ? apps : undefined,
    vars: varsOf(COMMAND, strings(parsed, 'var')),
  };
  process.stdout.write(`push: rolling push to local space ${spaceName}${request.version ? ` (version ${request.version})` : ''}\n`);
  const { status, body } = await controlJson<PushResult & { error?: { message: string } }>(
    dataDirOf(spaceName),
    'POST',
    '/push',
    request,
  ).catch((error: Error) => fail('push', error.message));
  if (status !== 200) fail('push', body.error?.message ?? `failed with ${status}`);
  process.stdout.write(
    `push: ${body.apps.join(', ')} pushed in ${(body.ms / 1000).toFixed(1)} s (${body.steps.length} instances replaced one at a time)\n`,
  );
}

if (require.main === module) void main(process.argv.slice(2));
