// @ts-check
/**
 * `scripts/set-env <space> <app> KEY=VALUE... --target heroku`: `heroku config:set -a APP
 * KEY=VALUE...`. npm heroku 11.10.0 dist/commands/config/set.js: -a/--app required; it says
 * "Setting KEY and restarting APP" and prints every value it set (hux.styledObject), so the
 * step runs quietly and shows secrets as <hidden>. Unlike cf, Heroku applies it at once: a
 * config change is a new release, and the app's dynos restart on it.
 */
const { shownPair } = require('../../lib/mask');
const { HEROKU, herokuApp } = require('./day-two');

/** @type {import('../types').SetEnvTarget} */
const setEnv = {
  ...HEROKU,
  appliesAtOnce: true,
  async setEnv(space, app, vars, { shell }) {
    const name = herokuApp(space, app);
    await shell.run({
      argv: ['heroku', 'config:set', '-a', name, ...Object.entries(vars).map(([key, value]) => `${key}=${value}`)],
      shown: `heroku config:set -a ${name} ${Object.entries(vars)
        .map(([key, value]) => shownPair(key, value))
        .join(' ')}`,
      why: `heroku config:set -a ${name} failed`,
      quiet: true,
    });
    return `heroku restarts ${name}'s dynos with them now (a config change is a new release: scripts/releases ${space} --target heroku)`;
  },
};

module.exports = setEnv;
