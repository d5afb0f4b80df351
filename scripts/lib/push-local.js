// @ts-check
/** `scripts/push <space> --target local`: placeholder until the platform's control API exists. */
const fs = require('node:fs');
const { varsFile } = require('./manifest-routes');

/** @typedef {import('./push').Target} Target */

/** @type {Target} */
const local = {
  name: 'local',
  validate(space) {
    return fs.existsSync(varsFile(space)) ? undefined : `unknown space "${space}": there is no vars/${space}.yml`;
  },
  preflight: () => undefined,
  builds: () => true,
  steps: () => [],
  async push() {
    return 'the local platform has no push API yet';
  },
  async versionTargets() {
    return [];
  },
};

module.exports = { local };
