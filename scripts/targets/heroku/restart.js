// @ts-check
/**
 * `scripts/restart <space> [app] --target heroku`: `heroku ps:restart -a APP` per app. npm
 * heroku 11.10.0 dist/commands/ps/restart.js: -a/--app required; "if neither --dyno nor --type
 * are specified, restarts all dynos on app". Heroku starts new web dynos before stopping the
 * old ones only with its preboot feature (heroku features:enable preboot -a APP); without it
 * the app's dynos restart together.
 */
const { appsOf } = require('./apps');
const { HEROKU } = require('./day-two');

/** @type {import('../types').RestartTarget} */
const restart = {
  ...HEROKU,
  async restart(space, app, { shell }) {
    const apps = Object.entries(appsOf(space)).filter(([name]) => app === undefined || name === app);
    for (const [bundleApp, name] of apps)
      await shell.run({
        argv: ['heroku', 'ps:restart', '-a', name],
        why: `heroku ps:restart -a ${name} (${bundleApp}) failed (see above)`,
      });
  },
};

module.exports = restart;
