// @ts-check
/**
 * scripts/env <space> <app> [--target local|cf|heroku] [--dry-run]
 * The environment an app's instances run with, as cf env shows it, with every secret masked
 * (lib/mask.js): a variable named like a key, token, secret or password, a URL's password,
 * and the credentials of each VCAP_SERVICES binding (host and port stay readable).
 */
const { maskEnv } = require('../lib/mask');
const { TARGET_OPTION, DRY_RUN_OPTION, parseDayTwo, checkApp, runDayTwo } = require('./day-two');

/** @typedef {import('../targets/types').EnvTarget} EnvTarget */

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: scripts/env <space> <app> [--target {targets}] {flags} [--dry-run]',
  about:
    "The environment <app>'s instances run with, one NAME=value a line, secrets as <hidden>\n(keys, tokens, passwords, a URL's password, service credentials).",
  positionals: ['<space>  dev, staging, production', '<app>    an app of manifest.yml'],
  maxPositionals: 2,
  options: { target: TARGET_OPTION, 'dry-run': DRY_RUN_OPTION },
};

async function main() {
  const parsed = parseDayTwo(process.argv.slice(2), COMMAND, 'env');
  const app = checkApp(parsed, parsed.rest[0])?.name ?? /** @type {string} */ (parsed.rest[0]);
  const target = /** @type {EnvTarget} */ (parsed.module);
  await runDayTwo(parsed, 'env', async () => {
    const env = maskEnv(await target.env(parsed.space, app, parsed.io));
    if (parsed.dryRun) return;
    for (const name of Object.keys(env).sort()) process.stdout.write(`${name}=${env[name]}\n`);
  });
}

void main();
