// @ts-check
/**
 * `scripts/releases <space> --target cf`: each app's revisions (revisions.js), read with
 * `cf revisions APP` and `cf revision APP --version N`, gathered into the space's releases:
 * one per version, current when every app's deployed revision ran it.
 */
const { bundleReleases } = require('../../lib/releases');
const { CF, targetSpace, appsInPushOrder } = require('./day-two');
const { revisionHistory } = require('./revisions');

/** @type {import('../types').ReleasesTarget} */
const releases = {
  ...CF,
  async releases(space, { shell }) {
    await targetSpace(space, shell);
    /** @type {import('../../lib/releases').Histories} */
    const histories = {};
    for (const app of appsInPushOrder(space)) {
      const history = await revisionHistory(app, shell);
      if (history) histories[app] = history;
    }
    return shell.dryRun ? [] : bundleReleases(histories);
  },
};

module.exports = releases;
