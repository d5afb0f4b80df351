// @ts-check
/**
 * scripts/rollback <space> [--to <version>] [--target local|cf|heroku] [--dry-run]
 * Takes every app of the space back to the release before the one it serves, or to the
 * release named (scripts/releases lists them), rolling, so no request fails. Local: a
 * rolling replacement from the release's droplet; cf: `cf rollback APP --version N` per app,
 * N the revision that ran that version; heroku: `heroku releases:rollback vN -a APP` per app.
 * A version the space has no release of is one line naming those it has.
 */
const { seconds } = require('../lib/run');
const { TARGET_OPTION, DRY_RUN_OPTION, parseDayTwo, runDayTwo } = require('./day-two');
const { usageError } = require('@bundle/args');

/** @typedef {import('../targets/types').RollbackTarget} RollbackTarget */

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: scripts/rollback <space> [--to <version>] [--target {targets}] {flags} [--dry-run]',
  about:
    'Takes every app of <space> back to the release before the one it serves, or to the one\n--to names (scripts/releases lists them), replacing instances one at a time.',
  positionals: ['<space>  dev, staging, production'],
  maxPositionals: 1,
  options: {
    to: { type: 'string', value: '<version>', doc: 'the release to go back to (default: the one before the current)' },
    target: TARGET_OPTION,
    'dry-run': DRY_RUN_OPTION,
  },
};

async function main() {
  const parsed = parseDayTwo(process.argv.slice(2), COMMAND, 'rollback');
  const target = /** @type {RollbackTarget} */ (parsed.module);
  const to = typeof parsed.values.to === 'string' ? parsed.values.to : undefined;
  if (to !== undefined && !/^[0-9A-Za-z][0-9A-Za-z.+-]*$/.test(to))
    usageError(parsed.command, `--to takes a version as scripts/releases shows it, e.g. 1.2.3 (got "${to}")`);
  await runDayTwo(parsed, 'rollback', async () => {
    const started = Date.now();
    if (!parsed.dryRun) parsed.io.say(`${parsed.space} (${parsed.target}) back to ${to ?? 'the release before the current one'}`);
    const result = await target.rollback(parsed.space, to, parsed.io);
    if (!parsed.dryRun)
      parsed.io.say(`${parsed.space} serves ${result.to} again (it served ${result.from}; ${seconds(Date.now() - started)})`);
  });
}

void main();
