// @ts-check
/**
 * scripts/run-task <space> <app> [--name <name>] [--target local|cf|heroku] [--dry-run] -- <command...>
 * A one-off task (twelve-factor XII: admin work as a process of the release, in its own
 * environment): the command runs once beside the app's instances, from the app's current
 * release, with its environment and bindings; its output comes here as it runs and its exit
 * code is this command's. Local: a process from the release's droplet, its lines also in
 * scripts/logs as [APP/TASK/<name>/0]; cf: cf run-task, then its end and logs; heroku:
 * heroku run --exit-code.
 */
const crypto = require('node:crypto');
const { usageError } = require('@bundle/args');
const { display } = require('../lib/steps');
const { TARGET_OPTION, DRY_RUN_OPTION, parseDayTwo, checkApp, runDayTwo, stop } = require('./day-two');

/** @typedef {import('../targets/types').RunTaskTarget} RunTaskTarget */

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: scripts/run-task <space> <app> [--name <name>] [--target {targets}] {flags} [--dry-run] -- <command...>',
  about:
    "Runs <command> once as a one-off task of <app>'s current release, with the app's environment\nand bindings; prints its output as it runs and exits with its exit code.",
  positionals: [
    '<space>  dev, staging, production',
    '<app>    an app of manifest.yml',
    '<command...>  after --, e.g. -- node apps/users/dist/release.js',
  ],
  maxPositionals: 2,
  options: {
    name: { type: 'string', value: '<name>', doc: "the task's name in the logs (default: 8 hex digits, as cf names tasks)" },
    target: TARGET_OPTION,
    'dry-run': DRY_RUN_OPTION,
  },
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

async function main() {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--');
  const command = at === -1 ? [] : argv.slice(at + 1);
  const parsed = parseDayTwo(at === -1 ? argv : argv.slice(0, at), COMMAND, 'run-task');
  const app = checkApp(parsed, parsed.rest[0])?.name ?? /** @type {string} */ (parsed.rest[0]);
  if (command.length === 0 || command[0] === '')
    usageError(
      parsed.command,
      `which command? put it after --, e.g. scripts/run-task ${parsed.space} ${app} -- node apps/${app}/dist/release.js`,
    );
  const given = parsed.values.name;
  if (typeof given === 'string' && !NAME.test(given))
    usageError(parsed.command, `--name takes letters, digits, ".", "_" and "-", up to 64 (got "${given}")`);
  const name = typeof given === 'string' ? given : crypto.randomBytes(4).toString('hex');
  const target = /** @type {RunTaskTarget} */ (parsed.module);
  await runDayTwo(parsed, 'run-task', async () => {
    const code = await target.runTask(parsed.space, { app, name, command, line: display(command) }, parsed.io);
    if (parsed.dryRun) return;
    if (code !== 0) stop('run-task', `task ${name} of ${app} in ${parsed.space} failed with exit ${code}`, code);
    parsed.io.say(`task ${name} of ${app} in ${parsed.space} succeeded`);
  });
}

void main();
