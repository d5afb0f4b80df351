// @ts-check
/**
 * The web client's API types, generated from the OpenAPI documents of the apps it calls
 * (openapi-typescript), so no API type is ever copied by hand:
 *   apps/<app>/openapi.yaml  ->  apps/ui/src/client/generated/<app>.ts
 *   npm run api-types            writes them (after a change to an app's openapi.yaml)
 *   npm run api-types -- --check exits 1 with one line naming the command when one is stale
 *                                (the lint environment runs it)
 * The files are formatted with the repository's prettier settings, so they pass its check.
 */
const { readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');
const { pathToFileURL } = require('node:url');
const { parseArgs } = require('node:util');

const ROOT = join(__dirname, '..', '..', '..');
const OUT_DIR = join(__dirname, '..', 'src', 'client', 'generated');
/** The apps whose routes the client calls. */
const APPS = ['messages', 'push', 'tokens', 'users'];
const COMMAND = 'npm run api-types';
const USAGE = 'usage: npm run api-types [-- --check] [-- --out <dir>]   (node apps/ui/scripts/api-types.js [--check] [--out <dir>])';
const HELP = `${USAGE}
Writes apps/ui/src/client/generated/<app>.ts from apps/<app>/openapi.yaml for ${APPS.join(', ')}.
  --check       write nothing; exit 1 naming the command when a generated file is stale
  --out <dir>   write (or check) the files in <dir> instead (tests)
  -h, --help`;

/**
 * The generated text of one app's types, formatted as prettier formats the file.
 * @param {string} app
 * @returns {Promise<string>}
 */
async function generate(app) {
  const { default: openapiTS, astToString } = require('openapi-typescript');
  const prettier = require('prettier');
  const source = join(ROOT, 'apps', app, 'openapi.yaml');
  // Formatted as the committed file is, whichever folder it is written to.
  const target = join(OUT_DIR, `${app}.ts`);
  const header = `// Generated from apps/${app}/openapi.yaml by \`${COMMAND}\`: do not edit; change the document and run it again.\n`;
  const text = header + astToString(await openapiTS(pathToFileURL(source), { silent: true }));
  return prettier.format(text, { ...(await prettier.resolveConfig(target)), filepath: target });
}

/** @param {string} file @returns {string | undefined} */
function readIfThere(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** @param {string[]} argv @returns {Promise<number>} */
async function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { check: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    process.stderr.write(`${USAGE}\napi-types: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const outDir = values.out === undefined ? OUT_DIR : resolve(values.out);
  const stale = [];
  for (const app of APPS) {
    const target = join(outDir, `${app}.ts`);
    const text = await generate(app);
    if (readIfThere(target) === text) continue;
    stale.push(relative(ROOT, target));
    if (!values.check) {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(target, text);
    }
  }
  if (values.check) {
    if (stale.length === 0) return 0;
    process.stderr.write(`api-types: ${stale.join(', ')} ${stale.length === 1 ? 'is' : 'are'} stale: run ${COMMAND}\n`);
    return 1;
  }
  process.stdout.write(`api-types: ${stale.length === 0 ? 'up to date' : `wrote ${stale.join(', ')}`}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`api-types: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
