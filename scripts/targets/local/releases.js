// @ts-check
/**
 * `scripts/releases <space>` (--target local, the default): the releases the running space
 * keeps as droplets under .local/<space>/releases/<version>/, newest first, from its
 * supervisor (GET /releases on its control channel): version, commit, when, which one its
 * instances run, and the droplet's folder. The supervisor makes one at the space's start and
 * at each push, and keeps the last RELEASES_KEPT (default 5).
 */
const { Failure } = require('../../lib/failure');
const { control, runningState } = require('./space');

/** A local space's name: what scripts/start takes. */
const SPACE_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** @type {Pick<import('../types').DayTwoBase, 'check'>} */
const LOCAL = {
  check: (space) => (SPACE_NAME.test(space) ? undefined : `"${space}" is not a space name (lower-case letters, digits, -)`),
};

/**
 * One request to the running space's supervisor; a space that is not running, or an answer
 * other than 200, is a Failure in one line.
 * @param {string} space @param {string} method @param {string} route @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function ask(space, method, route, body) {
  if (!runningState(space)) throw new Failure(`space ${space} is not running: start it with scripts/start ${space}`);
  let answer;
  try {
    answer = await control(space, method, route, body);
  } catch (error) {
    throw new Failure(error instanceof Error ? error.message : String(error));
  }
  if (answer.status !== 200) throw new Failure(answer.body?.error?.message ?? `the supervisor of ${space} answered HTTP ${answer.status}`);
  return answer.body;
}

/**
 * The space's releases as every target lists them (types.d.ts Release), with the droplet's
 * folder as the detail; `id` is the folder, which POST /rollback takes.
 * @param {string} space @returns {Promise<(import('../types').Release & { id: string })[]>}
 */
async function localReleases(space) {
  /** @type {{ releases: { id: string, version: string, commit?: string, when: string, current: boolean }[] }} */
  const answer = await ask(space, 'GET', '/releases');
  return answer.releases.map((release) => ({
    id: release.id,
    version: release.version,
    ...(release.commit ? { commit: release.commit } : {}),
    when: release.when,
    current: release.current,
    detail: `.local/${space}/releases/${release.id}`,
  }));
}

/** @type {import('../types').ReleasesTarget} */
const releases = {
  ...LOCAL,
  releases: (space) => localReleases(space),
};

module.exports = releases;
module.exports.LOCAL = LOCAL;
module.exports.ask = ask;
module.exports.localReleases = localReleases;
