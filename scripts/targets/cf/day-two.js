// @ts-check
/**
 * What the cf verbs of day two share (releases, rollback, run-task, restart, scale, env,
 * set-env, create-service): the cf CLI v8, a space that has a vars file, `cf target -s` before
 * anything else, and the apps in the order scripts/push --target cf pushes them.
 */
const fs = require('node:fs');
const { varsFile, manifestFor } = require('../../lib/manifest');
const { pushOrder } = require('./push-order');

/** @typedef {import('../types').Shell} Shell */

/** What every cf day-two verb file spreads into its own. */
const CF = {
  commands: true,
  tool: { name: 'cf', install: 'install the Cloud Foundry CLI v8 (https://github.com/cloudfoundry/cli#downloads)' },
  /** @param {string} space */
  check: (space) => (fs.existsSync(varsFile(space)) ? undefined : `unknown space "${space}": there is no vars/${space}.yml`),
};

/** Every later command works in this space. @param {string} space @param {Shell} shell */
const targetSpace = (space, shell) => shell.read(['cf', 'target', '-s', space], `cf could not target space ${space}`);

/** The apps of the space, in push order (tokens first, ui last). @param {string} space */
const appsInPushOrder = (space) => pushOrder(manifestFor(space).apps.map((app) => app.name));

module.exports = { CF, targetSpace, appsInPushOrder };
