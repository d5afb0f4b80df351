// @ts-check
/**
 * The gateway's route table: each public path prefix of manifest.yml (the routes on the
 * shared host, `((host)).((domain))/api/users`) and the app it goes to, longest first. Read
 * through the platform's manifest reader with the vars of every space heroku.json names: one
 * generated file serves every space, so the table must be the same in each.
 */
const fs = require('node:fs');
const path = require('node:path');
const { platform } = require('../../../lib/platform');
const { parseJsonFile } = require('../../../lib/project-files');

/** @typedef {import('../../../../packages/platform/src/manifest/types').Manifest} Manifest */
/** @typedef {{ prefix: string, app: string }} GatewayRoute */

/** A manifest the gateway cannot serve: its message is the one line to print. */
class GatewayError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'GatewayError';
  }
}

/** heroku.json keys that are not spaces (bundle-check and the scaffold skip the same). */
const NOT_SPACES = ['//', 'web_urls', 'public_urls', 'gateway'];

/**
 * The route table of one manifest: routes on the shared host (the one host that carries
 * path routes), `/` for that host's bare route. An app's own host and internal routes are
 * not the gateway's; a wildcard host or a port stops it (one line naming route and app).
 * @param {Manifest} manifest @returns {GatewayRoute[]}
 */
function routesOf(manifest) {
  const routed = manifest.apps.flatMap((app) => app.routes.filter((route) => !route.internal).map((route) => ({ app: app.name, route })));
  for (const { app, route } of routed) {
    if (route.host.startsWith('*'))
      throw new GatewayError(
        `manifest.yml: route ${route.route} of app ${app} has a wildcard host, which the Heroku gateway cannot route (it serves one host, by path)`,
      );
    if (/^[^/]*:\d+/.test(route.route))
      throw new GatewayError(
        `manifest.yml: route ${route.route} of app ${app} names a port, which the Heroku gateway cannot route (Heroku serves it on 443 only)`,
      );
  }
  const hosts = [...new Set(routed.filter(({ route }) => route.path !== '').map(({ route }) => route.host))];
  if (hosts.length === 0) throw new GatewayError('manifest.yml routes no path on a shared host: the Heroku gateway has nothing to route');
  if (hosts.length > 1)
    throw new GatewayError(`manifest.yml routes paths on ${hosts.length} hosts (${hosts.join(', ')}): the Heroku gateway serves one`);
  return routed
    .filter(({ route }) => route.host === hosts[0])
    .map(({ app, route }) => ({ prefix: route.path || '/', app }))
    .sort((a, b) => b.prefix.length - a.prefix.length || a.prefix.localeCompare(b.prefix));
}

/**
 * The spaces heroku.json names that have a vars file: the manifest is read with each.
 * @param {string} root @returns {string[]}
 */
function spacesOf(root) {
  const file = path.join(root, 'heroku.json');
  const config = fs.existsSync(file) ? parseJsonFile(file) : {};
  return Object.entries(config)
    .filter(([key, value]) => !NOT_SPACES.includes(key) && typeof value === 'object' && value !== null && !Array.isArray(value))
    .map(([key]) => key)
    .filter((space) => fs.existsSync(path.join(root, 'vars', `${space}.yml`)));
}

/**
 * The route table of a bundle: manifest.yml (or `text`, a manifest about to be written) read
 * with the vars of each space. A ManifestError (a broken file) is thrown as the reader's
 * one line; a table that differs between spaces is a GatewayError.
 * @param {string} root @param {string} [text] @returns {GatewayRoute[]}
 */
function gatewayRoutes(root, text) {
  const manifestText = text ?? fs.readFileSync(path.join(root, 'manifest.yml'), 'utf8');
  const spaces = spacesOf(root);
  if (spaces.length === 0)
    throw new GatewayError('heroku.json names no space with a vars file (vars/<space>.yml): nothing to read the routes with');
  const { parseManifest } = platform('manifest/read');
  const { readVarsFile } = platform('manifest/vars');
  const tables = spaces.map((space) => {
    const varsFile = path.join(root, 'vars', `${space}.yml`);
    /** @type {Manifest} */
    const manifest = parseManifest(manifestText, {
      file: 'manifest.yml',
      base: root,
      vars: readVarsFile(varsFile, root),
      varsFiles: [path.relative(root, varsFile)],
    });
    return { space, routes: routesOf(manifest) };
  });
  const [first] = tables;
  const shown = (/** @type {GatewayRoute[]} */ routes) => routes.map((r) => `${r.prefix}=${r.app}`).join(',');
  for (const other of tables.slice(1)) {
    if (shown(other.routes) !== shown(first?.routes ?? []))
      throw new GatewayError(
        `manifest.yml routes ${shown(first?.routes ?? [])} in ${first?.space} but ${shown(other.routes)} in ${other.space}: one gateway file serves every space`,
      );
  }
  return first?.routes ?? [];
}

module.exports = { GatewayError, routesOf, gatewayRoutes, NOT_SPACES };
