// @ts-check
/**
 * scripts/set-env <space> <app> KEY=VALUE... [--target local|cf|heroku] [--dry-run]
 * Sets environment variables of an app for its next start, as cf set-env does: running
 * instances keep what they have until scripts/restart (heroku restarts at once, and the
 * command says so). Values never reach a printed line when the name says they are secret.
 */
const { usageError } = require('@bundle/args');
const { TARGET_OPTION, DRY_RUN_OPTION, parseDayTwo, checkApp, runDayTwo } = require('./day-two');

/** @typedef {import('../targets/types').SetEnvTarget} SetEnvTarget */

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: scripts/set-env <space> <app> KEY=VALUE... [--target {targets}] {flags} [--dry-run]',
  about:
    "Sets <app>'s environment variables for its next start (as cf set-env): running instances keep\nwhat they have until scripts/restart <space> <app>.",
  positionals: ['<space>     dev, staging, production', '<app>       an app of manifest.yml', 'KEY=VALUE   one or more'],
  maxPositionals: 100,
  options: { target: TARGET_OPTION, 'dry-run': DRY_RUN_OPTION },
};

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

async function main() {
  const parsed = parseDayTwo(process.argv.slice(2), COMMAND, 'set-env');
  const app = checkApp(parsed, parsed.rest[0])?.name ?? /** @type {string} */ (parsed.rest[0]);
  const pairs = parsed.rest.slice(1);
  if (pairs.length === 0)
    usageError(parsed.command, `which variables? give KEY=VALUE, e.g. scripts/set-env ${parsed.space} ${app} LOG_LEVEL=debug`);
  /** @type {Record<string, string>} */
  const vars = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const name = at === -1 ? pair : pair.slice(0, at);
    if (at === -1 || !NAME.test(name))
      usageError(parsed.command, `"${at === -1 ? pair : name}" is not KEY=VALUE with a KEY of letters, digits and _`);
    // Cloud Controller refuses names starting VCAP_ or VMC_ (AppEnvironmentPolicy: /^(vcap|vmc)_/i);
    // PORT and the instance's own variables are the platform's to set, on every target.
    if (/^(vcap|vmc)_/i.test(name) || ['PORT', 'CF_INSTANCE_INDEX', 'DYNO'].includes(name))
      usageError(parsed.command, `${name} is the platform's to set, not the app's`);
    vars[name] = pair.slice(at + 1);
  }
  const target = /** @type {SetEnvTarget} */ (parsed.module);
  await runDayTwo(parsed, 'set-env', async () => {
    const effect = await target.setEnv(parsed.space, app, vars, parsed.io);
    if (parsed.dryRun) return;
    parsed.io.say(`set ${Object.keys(vars).join(', ')} on ${app} in ${parsed.space} (${parsed.target}): ${effect}`);
  });
}

void main();
