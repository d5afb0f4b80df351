// @ts-check
/**
 * The gateway's generated files as a bundle should hold them: written by `scripts/gateway
 * render`, checked by the bundle check (one line when stale), and rewritten by
 * scripts/new-app and scripts/remove-app with the manifest they are about to write.
 */
const fs = require('node:fs');
const path = require('node:path');
const { gatewayRoutes } = require('./routes');
const { gatewayFiles, CONFIG_FILE } = require('./config');

/** @typedef {import('../../../scaffold/edits').Change} Change */

/** What the files must hold for this bundle (or for `manifestText`, a manifest about to be written). @param {string} root @param {string} [manifestText] */
const expectedFiles = (root, manifestText) => gatewayFiles(gatewayRoutes(root, manifestText));

/** A failure of the generator as one line: its own, or the manifest reader's. @param {unknown} error */
function oneLine(error) {
  if (error instanceof Error && (error.name === 'GatewayError' || error.name === 'ManifestError')) return error.message;
  throw error;
}

/**
 * The bundle check's lines: none when every generated file is what the manifest gives, one
 * when any is stale or missing, or the generator's own line when it cannot run. A bundle
 * without a gateway folder has nothing to check.
 * @param {string} root @returns {string[]}
 */
function staleGateway(root) {
  if (!fs.existsSync(path.join(root, path.dirname(path.dirname(CONFIG_FILE))))) return [];
  let expected;
  try {
    expected = expectedFiles(root);
  } catch (error) {
    return [`the Heroku gateway cannot be generated: ${oneLine(error)}`];
  }
  const stale = Object.entries(expected)
    .filter(([file, content]) => {
      const full = path.join(root, file);
      return !fs.existsSync(full) || fs.readFileSync(full, 'utf8') !== content;
    })
    .map(([file]) => file);
  return stale.length === 0
    ? []
    : [`${stale.join(', ')} ${stale.length > 1 ? 'are' : 'is'} not what manifest.yml's routes give: run scripts/gateway render`];
}

/**
 * The scaffold's changes to the gateway's files, made from the manifest `changes` are about
 * to write: none when the bundle has no gateway; a GatewayError or ManifestError line is thrown.
 * @param {string} root @param {Change[]} changes @returns {Change[]}
 */
function gatewayChanges(root, changes) {
  const manifestFile = path.join(root, 'manifest.yml');
  if (!fs.existsSync(path.join(root, CONFIG_FILE)) || !fs.existsSync(manifestFile)) return [];
  let manifest = fs.readFileSync(manifestFile, 'utf8');
  for (const change of changes) if (change.file === 'manifest.yml' && 'edit' in change) manifest = change.edit(manifest);
  return Object.entries(expectedFiles(root, manifest)).map(([file, content]) => ({ file, edit: () => content }));
}

/** Writes the files; the paths it wrote (those that changed). @param {string} root @returns {string[]} */
function writeGateway(root) {
  return Object.entries(expectedFiles(root)).flatMap(([file, content]) => {
    const full = path.join(root, file);
    if (fs.existsSync(full) && fs.readFileSync(full, 'utf8') === content) return [];
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
    return [file];
  });
}

module.exports = { staleGateway, gatewayChanges, writeGateway, expectedFiles, oneLine };
