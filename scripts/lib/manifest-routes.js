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

/**
 * @param {string} space
 * @param {{ scheme?: string }} [options]
 * @returns {{ app: string, url: string }[]}
 */
function ownRouteUrls(space, options = {}) {
  const vars = YAML.parse(fs.readFileSync(varsFile(space), 'utf8')) ?? {};
  const text = fs.readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8').replace(/\(\(([\w.-]+)\)\)/g, (whole, name) => {
    if (!(name in vars)) throw new Error(`vars/${space}.yml has no value for ((${name}))`);
    return String(vars[name]);
  });
  /** @type {{ applications?: { name: string, routes?: { route: string }[] }[] }} */
  const manifest = YAML.parse(text);
  return (manifest.applications ?? []).flatMap((app) => {
    const own = (app.routes ?? []).map((entry) => entry.route).find((route) => !route.includes('/'));
    return own ? [{ app: app.name, url: `${options.scheme ?? 'https'}://${own}` }] : [];
  });
}

module.exports = { varsFile, ownRouteUrls };
