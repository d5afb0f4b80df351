// @ts-check
/** Carries out (or, with --dry-run, only prints) a list of file changes from edits.js. */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { fail } = require('../lib/run');

/** @typedef {import('./edits').Change} Change */

/**
 * Works out every change first, so a change that cannot be made stops the command before
 * any file is touched; then writes them (unless dryRun), formats what it wrote (formatted),
 * and prints one line per file.
 * @param {string} root @param {Change[]} changes @param {{ dryRun: boolean, name: string, out: (line: string) => void }} options
 */
function applyChanges(root, changes, options) {
  /** @type {{ file: string, verb: string, write: () => void }[]} */
  const planned = [];
  // Several edits of one file (heroku.json gains an app and an add-on plan) apply in turn.
  /** @type {Map<string, { before: string, after: string }>} */
  const edited = new Map();
  for (const change of changes) {
    const full = path.join(root, change.file);
    if ('create' in change) {
      planned.push({
        file: change.file,
        verb: 'create',
        write: () => (fs.mkdirSync(path.dirname(full), { recursive: true }), fs.writeFileSync(full, change.create)),
      });
    } else if ('remove' in change) {
      if (fs.existsSync(full))
        planned.push({ file: change.file, verb: 'remove', write: () => fs.rmSync(full, { recursive: true, force: true }) });
    } else if (fs.existsSync(full)) {
      const text = edited.get(change.file) ?? { before: fs.readFileSync(full, 'utf8'), after: '' };
      text.after = change.edit(edited.has(change.file) ? text.after : text.before);
      edited.set(change.file, text);
    }
  }
  for (const [file, { before, after }] of edited) {
    if (after !== before) planned.push({ file, verb: 'change', write: () => fs.writeFileSync(path.join(root, file), after) });
  }
  const prefix = options.dryRun ? `${options.name}: would` : `${options.name}:`;
  for (const step of planned) {
    if (!options.dryRun) step.write();
    options.out(`${prefix} ${step.verb} ${step.file}`);
  }
  if (!options.dryRun)
    formatted(
      root,
      planned.filter((step) => step.verb !== 'remove').map((step) => step.file),
    );
  return planned.length;
}

/**
 * Runs the repository's prettier over the files a change wrote: a template rendered with a
 * longer or shorter name, or a list an edit shortened, breaks its lines differently, and the
 * lint environment checks them (prettier skips what .prettierignore names, or it cannot read).
 * @param {string} root @param {string[]} files
 */
function formatted(root, files) {
  if (files.length === 0) return;
  const prettier = path.join(root, 'node_modules', '.bin', 'prettier');
  const result = spawnSync(prettier, ['--write', '--ignore-unknown', '--log-level', 'warn', ...files], { cwd: root, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    const why = result.error
      ? `${result.error.message} (run npm ci first)`
      : (result.stderr.trim().split('\n')[0] ?? `exit ${result.status}`);
    fail(`prettier could not format the files it wrote: ${why}`);
  }
}

module.exports = { applyChanges };
