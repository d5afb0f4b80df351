// @ts-check
/** Carries out (or, with --dry-run, only prints) a list of file changes from edits.js. */
const fs = require('node:fs');
const path = require('node:path');

/** @typedef {import('./edits').Change} Change */

/**
 * Works out every change first, so a change that cannot be made stops the command before
 * any file is touched; then writes them (unless dryRun) and prints one line per file.
 * @param {string} root @param {Change[]} changes @param {{ dryRun: boolean, name: string, out: (line: string) => void }} options
 */
function applyChanges(root, changes, options) {
  /** @type {{ file: string, verb: string, write: () => void }[]} */
  const planned = [];
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
      const before = fs.readFileSync(full, 'utf8');
      const after = change.edit(before);
      if (after !== before) planned.push({ file: change.file, verb: 'change', write: () => fs.writeFileSync(full, after) });
    }
  }
  const prefix = options.dryRun ? `${options.name}: would` : `${options.name}:`;
  for (const step of planned) {
    if (!options.dryRun) step.write();
    options.out(`${prefix} ${step.verb} ${step.file}`);
  }
  return planned.length;
}

module.exports = { applyChanges };
