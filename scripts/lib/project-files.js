// @ts-check
/**
 * The project's own YAML and JSON files (manifest.yml, vars/*.yml, heroku.json) as the
 * scripts read them: a file a user broke ends the script with one line naming the file and
 * where the parser stopped, never a stack trace.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, fail } = require('./run');

/** @param {string} file */
const shown = (file) => (path.isAbsolute(file) ? path.relative(ROOT, file) || file : file);

/**
 * @param {string} file what the text came from, for the message
 * @param {string} text
 * @param {(text: string) => any} parser
 * @returns {any}
 */
function parsed(file, text, parser) {
  try {
    return parser(text);
  } catch (error) {
    const message = String(error instanceof Error ? error.message : error).split('\n')[0] ?? '';
    // A YAML error reads as the platform's manifest reader writes it (packages/platform/src/
    // manifest/source.ts), so a broken manifest.yml is the same line from every script.
    const position = /** @type {{ linePos?: { line: number, col: number }[] }} */ (error).linePos?.[0];
    if (position)
      return fail(`${shown(file)}:${position.line}:${position.col}: YAML error: ${message.replace(/ at line \d+, column \d+:?$/, '')}`);
    return fail(`${shown(file)}: ${message.replace(/:$/, '')}`);
  }
}

/** @param {string} file @param {string} [text] the file's text, when it was read already @returns {any} */
const parseYamlFile = (file, text = read(file)) => parsed(file, text, (source) => require('yaml').parse(source));

/** @param {string} file @param {string} [text] @returns {any} */
const parseJsonFile = (file, text = read(file)) => parsed(file, text, (source) => JSON.parse(source));

/** @param {string} file */
function read(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    return fail(`cannot read ${shown(file)}: ${/** @type {NodeJS.ErrnoException} */ (error).code ?? String(error)}`);
  }
}

module.exports = { parseYamlFile, parseJsonFile };
