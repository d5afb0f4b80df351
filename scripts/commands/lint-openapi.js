// @ts-check
/**
 * The OpenAPI half of the lint environment: every apps/<app>/openapi.yaml must pass
 * swagger-parser's validation (the OpenAPI 3.1 schema) and Redocly's lint with the
 * rules in redocly.yaml (recommended, relaxed only where it says why).
 *   node scripts/commands/lint-openapi.js [app...]    default: every app with an openapi.yaml
 * Exits 1 when any document fails either check, or a named app has no openapi.yaml (a typo
 * must not pass as a lint of nothing); 2 for an option, which it takes none of.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, run } = require('../lib/run');

const USAGE = 'usage: node scripts/commands/lint-openapi.js [app...]   (default: every app with an openapi.yaml)';

/** @param {string[]} apps */
async function main(apps) {
  const option = apps.find((arg) => arg.startsWith('-'));
  if (option === '-h' || option === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (option !== undefined) {
    process.stderr.write(`${USAGE}\nlint-openapi: unknown option ${option}\n`);
    return 2;
  }
  const named = apps.length > 0;
  const names = named ? apps : fs.readdirSync(path.join(ROOT, 'apps'));
  const candidates = names.map((app) => path.join('apps', app, 'openapi.yaml'));
  const missing = named ? candidates.filter((file) => !fs.existsSync(path.join(ROOT, file))) : [];
  if (missing.length > 0) {
    process.stderr.write(`lint-openapi: no ${missing.join(', no ')} (apps: ${fs.readdirSync(path.join(ROOT, 'apps')).join(', ')})\n`);
    return 1;
  }
  const documents = candidates.filter((file) => fs.existsSync(path.join(ROOT, file)));
  if (documents.length === 0) return 0;
  const SwaggerParser = require('@apidevtools/swagger-parser');
  let failed = 0;
  for (const file of documents) {
    try {
      await SwaggerParser.validate(path.join(ROOT, file));
      process.stdout.write(`swagger-parser: ${file} is valid\n`);
    } catch (error) {
      failed += 1;
      process.stdout.write(`swagger-parser: ${file} is invalid: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  // Node 20 gets a deprecation box from the CLI; it says nothing about the documents.
  const redocly = await run('redocly', ['lint', '--format=stylish', ...documents], {
    env: { REDOCLY_SUPPRESS_NOTIFICATIONS: 'true', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', REDOCLY_TELEMETRY: 'off' },
  });
  return failed > 0 || redocly !== 0 ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
