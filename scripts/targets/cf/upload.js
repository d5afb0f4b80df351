// @ts-check
/**
 * What `cf push` would upload for each app of the manifest: every file under the app's
 * `path:` that neither cf's built-in ignore lines nor that folder's .cfignore exclude.
 * cf matches each file's relative path on its own with a gitignore-style matcher
 * (cloudfoundry/cli actor/sharedaction/resource.go: DefaultIgnoreLines, then the lines of
 * .cfignore, compiled by sabhiram/go-gitignore); the `ignore` package implements the same
 * gitignore rules, so what it keeps is what cf sends. cf does not read .gitignore.
 */
const fs = require('node:fs');
const path = require('node:path');
const ignore = require('ignore').default;
const { ROOT } = require('../../lib/run');
const { manifestFor } = require('../../lib/manifest');

/** cf CLI v8's DefaultIgnoreLines (actor/sharedaction/resource.go), always applied. */
const DEFAULT_IGNORE_LINES = ['.cfignore', '.DS_Store', '.git', '.gitignore', '.hg', '.svn', '_darcs', 'manifest.yaml', 'manifest.yml'];

/** cf's rules for a folder: its built-in lines, then the folder's .cfignore. @param {string} dir */
function uploadRules(dir) {
  const cfignore = path.join(dir, '.cfignore');
  const rules = ignore().add(DEFAULT_IGNORE_LINES);
  if (fs.existsSync(cfignore)) rules.add(fs.readFileSync(cfignore, 'utf8'));
  return rules;
}

/**
 * The files cf would upload from `dir` (paths relative to it, '/'-separated) and their bytes.
 * @param {string} dir
 * @returns {{ files: string[], bytes: number }}
 */
function uploadOf(dir) {
  const rules = uploadRules(dir);
  /** @type {string[]} */
  const files = [];
  let bytes = 0;
  /** @param {string} relDir */
  const walk = (relDir) => {
    for (const entry of fs.readdirSync(path.join(dir, relDir), { withFileTypes: true })) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      // A folder that is ignored as a whole is not walked (the ignore package, like git,
      // then ignores everything under it too).
      if (entry.isDirectory()) {
        if (!rules.ignores(`${rel}/`)) walk(rel);
      } else if (!rules.ignores(rel)) {
        files.push(rel);
        bytes += fs.lstatSync(path.join(dir, rel)).size;
      }
    }
  };
  walk('');
  return { files, bytes };
}

/** @param {number} bytes */
const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * One line per app: what `cf push` would upload for it (apps sharing a folder share a count).
 * @param {string} space
 * @returns {string[]}
 */
function uploadReport(space) {
  /** @type {Map<string, { files: string[], bytes: number }>} */
  const byPath = new Map();
  return manifestFor(space).apps.map((app) => {
    const upload = byPath.get(app.path) ?? uploadOf(app.path);
    byPath.set(app.path, upload);
    const cfignore = fs.existsSync(path.join(app.path, '.cfignore'))
      ? path.relative(ROOT, path.join(app.path, '.cfignore'))
      : 'no .cfignore';
    return `upload ${app.name}: ${upload.files.length} files, ${megabytes(upload.bytes)} from ${path.relative(ROOT, app.path) || '.'} (${cfignore})`;
  });
}

module.exports = { DEFAULT_IGNORE_LINES, uploadRules, uploadOf, uploadReport };
