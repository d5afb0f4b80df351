// @ts-check
/**
 * Reads manifest.yml with a space's vars file and answers, for each app, the URL of its own
 * route (a route without a path): where its /version answers. Path routes are not used for
 * that: Cloud Foundry forwards the full path, so /api/users/version would reach users as-is.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./run');
const { parseYamlFile } = require('./project-files');

/** @param {string} space */
const varsFile = (space) => path.join(ROOT, 'vars', `${space}.yml`);

/** @param {string} space @returns {Record<string, unknown>} */
const readVars = (space) => parseYamlFile(varsFile(space)) ?? {};

/**
 * The own route of each app, with the space's vars (and overrides, as `cf push --var`).
 * @param {string} space
 * @param {Record<string, unknown>} [overrides]
 * @returns {{ app: string, route: string }[]}
 */
function ownRoutes(space, overrides = {}) {
  return manifestWithVars(space, overrides).flatMap((app) => {
    // An internal route (apps.internal) answers only inside the platform: not where a pipeline can ask /version.
    const own = (app.routes ?? []).map((entry) => entry.route).find((route) => !route.includes('/') && !route.endsWith('.apps.internal'));
    return own ? [{ app: app.name, route: own }] : [];
  });
}

/**
 * The manifest's apps with a space's vars put in (and overrides, as `cf push --var`).
 * @param {string} space
 * @param {Record<string, unknown>} [overrides]
 * @returns {{ name: string, env?: Record<string, unknown>, routes?: { route: string }[] }[]}
 */
function manifestWithVars(space, overrides = {}) {
  const vars = { ...readVars(space), ...overrides };
  const text = fs.readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8').replace(/\(\(([\w.-]+)\)\)/g, (whole, name) => {
    if (!(name in vars)) throw new Error(`vars/${space}.yml has no value for ((${name}))`);
    return String(vars[name]);
  });
  return parseYamlFile(path.join(ROOT, 'manifest.yml'), text).applications ?? [];
}

/**
 * The network policies a space needs (`cf add-network-policy SOURCE DESTINATION --port
 * 8080`): one for each app whose env names another app's internal route (host.apps.internal),
 * the rule by which the local platform resolves internal hosts (packages/platform/src/local/
 * internal-routes.ts, which also refuses a bad reference; the scripts run before it is built).
 * @param {string} space
 * @returns {{ source: string, destination: string, port: number }[]}
 */
function networkPolicies(space) {
  const apps = manifestWithVars(space);
  /** @type {Map<string, string>} */
  const owners = new Map(
    apps.flatMap((app) =>
      (app.routes ?? []).filter((entry) => entry.route.endsWith('.apps.internal')).map((entry) => [entry.route.toLowerCase(), app.name]),
    ),
  );
  /** @type {Map<string, { source: string, destination: string, port: number }>} */
  const policies = new Map();
  for (const app of apps) {
    for (const value of Object.values(app.env ?? {})) {
      for (const match of String(value).matchAll(/([a-z0-9.-]+\.apps\.internal):(\d+)/gi)) {
        const destination = owners.get((match[1] ?? '').toLowerCase());
        if (destination !== undefined && destination !== app.name)
          policies.set(`${app.name} ${destination}`, { source: app.name, destination, port: Number(match[2]) });
      }
    }
  }
  return [...policies.values()];
}

/** @param {string} space @returns {{ app: string, url: string }[]} */
const ownRouteUrls = (space) => ownRoutes(space).map(({ app, route }) => ({ app, url: `https://${route}` }));

module.exports = { varsFile, readVars, ownRoutes, ownRouteUrls, networkPolicies };
