// @ts-check
/**
 * What the heroku verbs of day two share: the Heroku CLI, heroku.json (one Heroku app per
 * bundle app per space, apps.js), and the apps in heroku.json's order (the order scripts/push
 * --target heroku pushes them in).
 *
 * Flag rules cited from the Heroku CLI (npm `heroku` 11.10.0, dist/commands/): every command
 * below takes the app as -a/--app (flags.app({ required: true })).
 */
const fs = require('node:fs');
const { CONFIG, appsOf } = require('./apps');

/** What every heroku day-two verb file spreads into its own. */
const HEROKU = {
  commands: true,
  tool: { name: 'heroku', install: 'install the Heroku CLI (https://devcenter.heroku.com/articles/heroku-cli)' },
  /** @param {string} space */
  check(space) {
    if (!fs.existsSync(CONFIG)) return 'heroku.json is missing: it names the Heroku app of each bundle app per space (docs/heroku.md)';
    if (Object.keys(appsOf(space)).length === 0) return `unknown space "${space}": heroku.json names no apps for it`;
    return undefined;
  },
  /** @param {string} space @param {string} app */
  checkApp: (space, app) => (appsOf(space)[app] ? undefined : `heroku.json names no Heroku app for ${app} in ${space}`),
};

/** The Heroku app of a bundle app in a space. @param {string} space @param {string} app */
const herokuApp = (space, app) => /** @type {string} */ (appsOf(space)[app]);

module.exports = { HEROKU, herokuApp };
