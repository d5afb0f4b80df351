// @ts-check
/**
 * scripts/create-service <space> <name> [--target local|cf|heroku] [--dry-run]
 * Creates a service instance an app binds by name (manifest.yml services:), unless it exists,
 * without restarting anything: a push of an app that binds it works afterwards. Local: a
 * binding the running space provides from then on; cf: cf create-service with the offering
 * and plan of vars/<space>.yml; heroku: a Redis add-on attached under the binding's name.
 */
const { usageError } = require('@bundle/args');
const { TARGET_OPTION, DRY_RUN_OPTION, parseDayTwo, runDayTwo } = require('./day-two');

/** @typedef {import('../targets/types').CreateServiceTarget} CreateServiceTarget */

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: scripts/create-service <space> <name> [--target {targets}] {flags} [--dry-run]',
  about:
    'Creates the service instance <name> (a binding name of manifest.yml, e.g. notes-db) in <space>,\nunless it exists; nothing restarts, and the next push of an app that binds it finds it.',
  positionals: ['<space>  dev, staging, production', '<name>   the service instance, as apps bind it'],
  maxPositionals: 2,
  options: { target: TARGET_OPTION, 'dry-run': DRY_RUN_OPTION },
};

async function main() {
  const parsed = parseDayTwo(process.argv.slice(2), COMMAND, 'create-service');
  const name = parsed.rest[0];
  if (name === undefined) usageError(parsed.command, 'which service? e.g. notes-db');
  if (!/^[a-z][a-z0-9-]{0,49}$/.test(name))
    usageError(parsed.command, `"${name}" is not a service name (lower-case letters, digits and -, up to 50)`);
  const target = /** @type {CreateServiceTarget} */ (parsed.module);
  await runDayTwo(parsed, 'create-service', async () => {
    const result = await target.createService(parsed.space, name, parsed.io);
    if (parsed.dryRun) return;
    parsed.io.say(
      result === 'exists'
        ? `${name} exists in ${parsed.space} (${parsed.target}): nothing to do`
        : `${name} created in ${parsed.space} (${parsed.target})`,
    );
  });
}

void main();
