// @ts-check
/**
 * scripts/releases <space> [--target local|cf|heroku] [--dry-run]
 * A space's releases, newest first: version, commit, when, which one it serves. Local: the
 * releases the space keeps as droplets; cf: each app's revisions (cf revisions), the version
 * each ran (its APP_VERSION); heroku: each app's releases (heroku releases). What a target
 * reads is in targets/<target>/releases.js.
 */
const { releaseTable } = require('../lib/releases');
const { TARGET_OPTION, DRY_RUN_OPTION, parseDayTwo, runDayTwo } = require('./day-two');

/** @typedef {import('../targets/types').ReleasesTarget} ReleasesTarget */

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: scripts/releases <space> [--target {targets}] {flags} [--dry-run]',
  about:
    "A space's releases, newest first: the version, the commit it was built from, when it was\nmade, and which one the space serves (scripts/rollback takes any of them with --to).",
  positionals: ['<space>  dev, staging, production'],
  maxPositionals: 1,
  options: { target: TARGET_OPTION, 'dry-run': DRY_RUN_OPTION },
};

async function main() {
  const parsed = parseDayTwo(process.argv.slice(2), COMMAND, 'releases');
  const target = /** @type {ReleasesTarget} */ (parsed.module);
  await runDayTwo(parsed, 'releases', async () => {
    const releases = await target.releases(parsed.space, parsed.io);
    if (parsed.dryRun) return;
    if (releases.length === 0)
      return void parsed.io.say(`${parsed.space} (${parsed.target}) has no releases yet: scripts/push ${parsed.space} makes one`);
    parsed.io.say(`${parsed.space} (${parsed.target}), newest first`);
    for (const line of releaseTable(releases)) process.stdout.write(`${line}\n`);
  });
}

void main();
