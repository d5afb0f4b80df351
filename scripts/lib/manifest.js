// @ts-check
/**
 * manifest.yml and a space's vars file as the scripts read them: through the platform's
 * reader (packages/platform/src/manifest), the one reader of the manifest. It interpolates
 * ((vars)) after parsing the YAML, as the cf CLI does, so `instances: ((web_instances))`
 * stays a number and a var's value is never parsed as YAML of its own. A file a user broke
 * ends the script with the reader's one line (file:line:column and what is wrong).
 *
 * (The scaffold reads manifest.yml as text on purpose: it edits the file, ((vars)) and all.)
 */
const path = require('node:path');
const { ROOT, fail } = require('./run');
const { platform } = require('./platform');

/** @typedef {import('../../packages/platform/src/manifest/types').Manifest} Manifest */

/** @param {string} space */
const varsFile = (space) => path.join(ROOT, 'vars', `${space}.yml`);

/**
 * Runs a read; a ManifestError (the file is broken or incomplete) ends the script with its line.
 * @template T @param {() => T} read @returns {T}
 */
function orFail(read) {
  try {
    return read();
  } catch (error) {
    if (error instanceof Error && error.name === 'ManifestError') return fail(error.message);
    throw error;
  }
}

/** A space's vars file, values typed as YAML gives them. @param {string} space @returns {Record<string, unknown>} */
const readVars = (space) => orFail(() => platform('manifest/vars').readVarsFile(varsFile(space), ROOT));

/**
 * The manifest with a space's vars (and overrides, as `cf push --var`).
 * @param {string} space @param {Record<string, unknown>} [overrides] @returns {Manifest}
 */
function manifestFor(space, overrides = {}) {
  return orFail(() =>
    platform('manifest/read').readManifest(path.join(ROOT, 'manifest.yml'), { root: ROOT, varsFiles: [varsFile(space)], vars: overrides }),
  );
}

/**
 * The own route of each app (a route with no path, not on the internal domain): where its
 * /version answers. Path routes are not used for that: Cloud Foundry forwards the full
 * path, so /api/users/version would reach users as-is; an internal route answers only
 * inside the platform.
 * @param {string} space @param {Record<string, unknown>} [overrides]
 * @returns {{ app: string, route: string }[]}
 */
function ownRoutes(space, overrides = {}) {
  return manifestFor(space, overrides).apps.flatMap((app) => {
    const own = app.routes.find((route) => route.path === '' && !route.internal);
    return own ? [{ app: app.name, route: own.route }] : [];
  });
}

/** @param {string} space @returns {{ app: string, url: string }[]} */
const ownRouteUrls = (space) => ownRoutes(space).map(({ app, route }) => ({ app, url: `https://${route}` }));

module.exports = { varsFile, readVars, manifestFor, ownRoutes, ownRouteUrls, orFail };
