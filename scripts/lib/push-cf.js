// @ts-check
/**
 * `scripts/push <space> --target cf`: the Cloud Foundry CLI pushes the manifest with the
 * space's vars, rolling (cf push --strategy rolling replaces instances one at a time).
 */
const fs = require('node:fs');
const { varsFile, ownRouteUrls } = require('./manifest-routes');
const { onPath } = require('./steps');

/** @typedef {import('./steps').Step} Step */
/** @typedef {import('./push').Target} Target */

/** @type {Target} */
const cf = {
  name: 'cf',
  validate(space) {
    return fs.existsSync(varsFile(space)) ? undefined : `unknown space "${space}": there is no vars/${space}.yml`;
  },
  preflight() {
    return {
      missing: onPath('cf') ? undefined : 'cf is not installed: install the Cloud Foundry CLI (https://github.com/cloudfoundry/cli#downloads) or use --target local',
      step: { argv: ['cf', 'target'], why: 'cf target', quiet: true },
      failure: (output) => `cf is not logged in or has no org targeted: run cf login -a <api> (cf target says: ${firstLine(output)})`,
    };
  },
  builds: () => true,
  // --var version pins what /version answers to the release being pushed, whatever the
  // vars file says (scripts/bump keeps the file in step too).
  steps(space, version) {
    return [
      { argv: ['cf', 'target', '-s', space], why: `cf could not target space ${space}` },
      { argv: ['cf', 'push', '-f', 'manifest.yml', '--vars-file', `vars/${space}.yml`, '--var', `version=${version}`, '--strategy', 'rolling'], why: 'cf push failed (see above)' },
    ];
  },
  async versionTargets(space) {
    return ownRouteUrls(space);
  },
};

/** @param {string} output */
function firstLine(output) {
  return output.split('\n').find((line) => line.trim() !== '')?.trim() ?? 'no output';
}

module.exports = { cf, firstLine };
