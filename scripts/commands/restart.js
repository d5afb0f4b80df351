// @ts-check
/**
 * scripts/restart <space> [app] [--target local|cf|heroku] [--dry-run]
 * Restarts every instance of an app (of every app, when none is named), one at a time, so
 * it keeps serving: what picks up scripts/set-env. Local: a rolling replacement from the
 * current release's droplet; cf: cf restart APP --strategy rolling; heroku: heroku ps:restart.
 */
const { TARGET_OPTION, DRY_RUN_OPTION, parseDayTwo, checkApp, runDayTwo } = require('./day-two');

/** @typedef {import('../targets/types').RestartTarget} RestartTarget */

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: scripts/restart <space> [app] [--target {targets}] {flags} [--dry-run]',
  about:
    'Restarts every instance of [app] (default: every app), rolling: the app keeps serving.\nNew instances read the environment afresh (scripts/set-env takes effect here).',
  positionals: ['<space>  dev, staging, production', '[app]    an app of manifest.yml (default: every app)'],
  maxPositionals: 2,
  options: { target: TARGET_OPTION, 'dry-run': DRY_RUN_OPTION },
};

async function main() {
  const parsed = parseDayTwo(process.argv.slice(2), COMMAND, 'restart');
  const app = parsed.rest[0] === undefined ? undefined : (checkApp(parsed, parsed.rest[0])?.name ?? parsed.rest[0]);
  const target = /** @type {RestartTarget} */ (parsed.module);
  await runDayTwo(parsed, 'restart', async () => {
    await target.restart(parsed.space, app, parsed.io);
    if (!parsed.dryRun) parsed.io.say(`${app ?? 'every app'} in ${parsed.space} (${parsed.target}) restarted`);
  });
}

void main();
