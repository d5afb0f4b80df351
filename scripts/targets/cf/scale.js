// @ts-check
/**
 * `scripts/scale <space> <app> --target cf [-i N] [-m SIZE] [--process TYPE]`.
 *
 * cloudfoundry/cli v8.9.1 command/v7/scale_command.go: `cf scale APP -i N --process TYPE`
 * changes the number of instances live (shouldRestart is true only for -k, -m or -l); with -m
 * it asks "This will cause the app to restart" (unless -f) and then stops every instance and
 * starts them again (restartApplication: StopApplication, then StartApplication): downtime.
 * So memory goes another way, with no failed request: the process is scaled through the v3 API
 * (`POST /v3/apps/:guid/processes/:type/actions/scale {"memory_in_mb"}`, which restarts
 * nothing), then `cf restart APP --strategy rolling` replaces the instances one at a time at
 * the new size (restart.js).
 */
const { CF, targetSpace } = require('./day-two');
const { Failure } = require('../../lib/failure');

/** @type {import('../types').ScaleTarget} */
const scale = {
  ...CF,
  async scale(space, { app, process: type, instances, memory }, { shell }) {
    await targetSpace(space, shell);
    if (instances !== undefined)
      await shell.run({
        argv: ['cf', 'scale', app, '-i', String(instances), '--process', type],
        why: `cf scale ${app} -i ${instances} failed (see above)`,
      });
    if (memory === undefined) return;
    const guid = (await shell.read(['cf', 'app', app, '--guid'], `cf has no app ${app} in ${space}`))?.trim() ?? '<guid of ' + app + '>';
    if (!shell.dryRun && !/^[0-9a-f-]{36}$/.test(guid)) throw new Failure(`cf app ${app} --guid answered "${guid}", not a guid`);
    await shell.run({
      argv: [
        'cf',
        'curl',
        '-X',
        'POST',
        `/v3/apps/${guid}/processes/${type}/actions/scale`,
        '-d',
        JSON.stringify({ memory_in_mb: memory.megabytes }),
      ],
      why: `scaling the memory of ${app} ${type} to ${memory.text} failed (see above)`,
      quiet: true,
    });
    await shell.run({
      argv: ['cf', 'restart', app, '--strategy', 'rolling'],
      why: `cf restart ${app} failed: its instances keep their old memory limit until a restart completes (see above)`,
    });
  },
};

module.exports = scale;
