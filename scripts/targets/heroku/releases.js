// @ts-check
/**
 * `scripts/releases <space> --target heroku`: each app's releases (history.js), gathered into
 * the space's: one per bundle version, current when every app's current release is of it.
 */
const { bundleReleases } = require('../../lib/releases');
const { appsOf } = require('./apps');
const { HEROKU } = require('./day-two');
const { releaseHistory } = require('./history');
const { UPSTREAM } = require('./upstream');

/** @type {import('../types').ReleasesTarget} */
const releases = {
  ...HEROKU,
  async releases(space, { shell }) {
    /** @type {import('../../lib/releases').Histories} */
    const histories = {};
    const upstream = UPSTREAM[space];
    for (const [app, name] of Object.entries(appsOf(space))) {
      const history = await releaseHistory(name, shell, upstream ? appsOf(upstream)[app] : undefined);
      if (history) histories[app] = history;
    }
    return shell.dryRun ? [] : bundleReleases(histories);
  },
};

module.exports = releases;
