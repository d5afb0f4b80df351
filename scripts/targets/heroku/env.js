// @ts-check
/**
 * `scripts/env <space> <app> --target heroku`: `heroku config -a APP --json` (npm heroku
 * 11.10.0 dist/commands/config/index.js: -a/--app required, -j/--json "output config vars in
 * json format": the app's config vars as one object). The command masks the secrets.
 */
const { HEROKU, herokuApp } = require('./day-two');

/** @type {import('../types').EnvTarget} */
const env = {
  ...HEROKU,
  async env(space, app, { shell }) {
    const name = herokuApp(space, app);
    const output = await shell.read(['heroku', 'config', '-a', name, '--json'], `heroku could not read the config vars of ${name}`);
    if (output === undefined) return {};
    try {
      const parsed = JSON.parse(output);
      return Object.fromEntries(Object.entries(parsed ?? {}).map(([key, value]) => [key, String(value)]));
    } catch {
      return {};
    }
  },
};

module.exports = env;
