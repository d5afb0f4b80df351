// @ts-check
/**
 * `scripts/restart <space> [app] --target cf`: `cf restart APP --strategy rolling` per app (in
 * push order when every app restarts). cloudfoundry/cli v8.9.1 command/v7/restart_command.go,
 * its usage: "This command will cause downtime unless you use '--strategy canary' or
 * '--strategy rolling'"; with a strategy it makes a deployment of the app's current droplet,
 * replacing instances one at a time, and waits for it (unless --no-wait), exiting non-zero
 * when it fails. New instances read the app's environment afresh (what set-env needs).
 */
const { CF, targetSpace, appsInPushOrder } = require('./day-two');

/** @type {import('../types').RestartTarget} */
const restart = {
  ...CF,
  async restart(space, app, { shell }) {
    await targetSpace(space, shell);
    const apps = app === undefined ? appsInPushOrder(space) : [app];
    for (const [index, name] of apps.entries()) {
      const left = apps.slice(index + 1);
      await shell.run({
        argv: ['cf', 'restart', name, '--strategy', 'rolling'],
        why: `cf restart ${name} failed: its rolling deployment did not complete (see above)${left.length > 0 ? `; not restarted: ${left.join(', ')}` : ''}`,
      });
    }
  },
};

module.exports = restart;
