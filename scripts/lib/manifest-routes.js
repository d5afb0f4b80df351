// @ts-check
/**
 * Reads manifest.yml with a space's vars file and answers, for each app, the URL of its own
 * route (a route without a path): where its /version answers. Path routes are not used for
 * that: Cloud Foundry forwards the full path, so /api/users/version would reach users as-is.
 */
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { ROOT } = require('./run');

/** @param {string} space */
const varsFile = (space) => path.join(ROOT, 'vars', `${space}.yml`);

/** @param {string} space @returns {Record<string, unknown>} */
const readVars = (space) => YAML.parse(fs.readFileSync(varsFile(space), 'utf8')) ?? {};

/**
 * The own route of each app, with the space's vars (and overrides, as `cf push --var`).
 * @param {string} space
 * @param {Record<string, unknown>} [overrides]
 * @returns {{ app: string, route: string }[]}
 */
function ownRoutes(space, overrides = {}) {
  const vars = { ...readVars(space), ...overrides };
  const text = fs.readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8').replace(/\(\(([\w.-]+)\)\)/g, (whole, name) => {
    if (!(name in vars)) throw new Error(`vars/${space}.yml has no value for ((${name}))`);
    return String(vars[name]);
  });
  /** @type {{ applications?: { name: string, routes?: { route: string }[] }[] }} */
  const manifest = YAML.parse(text);
  return (manifest.applications ?? []).flatMap((app) => {
    const own = (app.routes ?? []).map((entry) => entry.route).find((route) => !route.includes('/'));
    return own ? [{ app: app.name, route: own }] : [];
  });
}

/** @param {string} space @returns {{ app: string, url: string }[]} */
const ownRouteUrls = (space) => ownRoutes(space).map(({ app, route }) => ({ app, url: `https://${route}` }));

module.exports = { varsFile, readVars, ownRoutes, ownRouteUrls };
