// @ts-check
/**
 * Every place the bundle's version is recorded, and the edits that move it from one
 * version to the next: the root and workspace package.json files (their own version and
 * their exact pins on sibling workspaces), package-lock.json (the same fields, edited as
 * JSON, never through npm install), and the version the manifest passes to the apps
 * (the `version` variable in vars/*.yml that manifest.yml passes as APP_VERSION, or a
 * literal APP_VERSION in manifest.yml).
 * Edits are textual so each file keeps its formatting; each is checked by re-parsing.
 */
const fs = require('node:fs');
const path = require('node:path');

/** @typedef {{ file: string, before: string, after: string }} Edit */

/** @param {string} root @param {string} file */
const readJson = (root, file) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

/** @param {string} text */
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The package.json files of the root and of every workspace its "workspaces" globs name
 * (a folder, or `folder/*`), relative to root.
 * @param {string} root
 * @returns {string[]}
 */
function packageFiles(root) {
  /** @type {string[]} */
  const patterns = readJson(root, 'package.json').workspaces ?? [];
  const files = ['package.json'];
  for (const pattern of patterns) {
    const folders = pattern.endsWith('/*')
      ? fs
          .readdirSync(path.join(root, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
          .sort()
      : [pattern];
    for (const folder of folders) if (fs.existsSync(path.join(root, folder, 'package.json'))) files.push(`${folder}/package.json`);
  }
  return files;
}

/**
 * Sets the top-level "version" and exact pins on workspace packages in one package.json.
 * @param {string} text @param {string[]} workspaceNames @param {string} from @param {string} to
 */
function bumpPackageJson(text, workspaceNames, from, to) {
  const parsed = JSON.parse(text);
  // The top-level "version" is the first one at two-space-or-less nesting; verified below.
  let after = text.replace(new RegExp(`^(\\s{0,2}"version"\\s*:\\s*)"${escape(from)}"`, 'm'), `$1"${to}"`);
  for (const name of workspaceNames) after = after.replace(new RegExp(`("${escape(name)}"\\s*:\\s*)"${escape(from)}"`, 'g'), `$1"${to}"`);
  const expected = JSON.parse(JSON.stringify(parsed));
  if (expected.version === from) expected.version = to;
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const name of workspaceNames) if (expected[field]?.[name] === from) expected[field][name] = to;
  }
  if (JSON.stringify(JSON.parse(after)) !== JSON.stringify(expected)) throw new Error('could not edit the version in place');
  return after;
}

/**
 * package-lock.json: the root entry, each workspace's entry and its pins on workspaces.
 * npm writes the file as JSON.stringify(lock, null, 2) plus a newline; so do we.
 * @param {string} text @param {string[]} workspaceFolders @param {string[]} workspaceNames @param {string} from @param {string} to
 */
function bumpLock(text, workspaceFolders, workspaceNames, from, to) {
  const lock = JSON.parse(text);
  if (lock.version === from) lock.version = to;
  for (const key of ['', ...workspaceFolders]) {
    const entry = lock.packages?.[key];
    if (!entry) continue;
    if (entry.version === from) entry.version = to;
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const name of workspaceNames) if (entry[field]?.[name] === from) entry[field][name] = to;
    }
  }
  return `${JSON.stringify(lock, null, 2)}\n`;
}

/**
 * YAML lines `<key>: x` (quoted or not) holding the old version, keeping a pre-release
 * suffix (the dev space's `0.1.0-dev` becomes `0.1.1-dev`).
 * @param {string} text @param {string[]} keys @param {string} from @param {string} to
 */
function bumpYaml(text, keys, from, to) {
  const pattern = new RegExp(
    `^(\\s*(?:${keys.map(escape).join('|')})\\s*:\\s*)(["']?)${escape(from)}(-[0-9A-Za-z.-]+)?\\2(\\s*(?:#.*)?)$`,
    'gm',
  );
  return text.replace(pattern, `$1$2${to}$3$2$4`);
}

/**
 * All edits from one version to the next. Files that do not change are left out.
 * @param {string} root @param {string} from @param {string} to
 * @returns {Edit[]}
 */
function planVersionEdits(root, from, to) {
  const files = packageFiles(root);
  const workspaceFolders = files.filter((file) => file !== 'package.json').map((file) => path.dirname(file));
  /** @type {string[]} */
  const workspaceNames = workspaceFolders.map((folder) => readJson(root, `${folder}/package.json`).name).filter(Boolean);
  /** @type {Edit[]} */
  const edits = [];
  /** @param {string} file @param {(text: string) => string} change */
  const add = (file, change) => {
    const full = path.join(root, file);
    if (!fs.existsSync(full)) return;
    const before = fs.readFileSync(full, 'utf8');
    const after = change(before);
    if (after !== before) edits.push({ file, before, after });
  };
  for (const file of files) add(file, (text) => bumpPackageJson(text, workspaceNames, from, to));
  add('package-lock.json', (text) => bumpLock(text, workspaceFolders, workspaceNames, from, to));
  // The manifest passes ((version)) from the vars files; a literal APP_VERSION moves too.
  add('manifest.yml', (text) => bumpYaml(text, ['APP_VERSION'], from, to));
  const vars = path.join(root, 'vars');
  if (fs.existsSync(vars)) {
    for (const name of fs
      .readdirSync(vars)
      .filter((file) => /\.ya?ml$/.test(file))
      .sort())
      add(`vars/${name}`, (text) => bumpYaml(text, ['version', 'app_version', 'APP_VERSION'], from, to));
  }
  return edits;
}

/** @param {string} root @param {Edit[]} edits @param {'before' | 'after'} which */
function writeEdits(root, edits, which) {
  for (const edit of edits) fs.writeFileSync(path.join(root, edit.file), edit[which]);
}

module.exports = { packageFiles, bumpPackageJson, bumpLock, bumpYaml, planVersionEdits, writeEdits };
