// @ts-check
/**
 * node scripts/commands/bundle-check.js (the lint environment runs it): the app folders,
 * manifest.yml, Procfile, heroku/*.Procfile, heroku.json, .env.example's ROUTES, the local
 * marketplace, each app's openapi.yaml and the bindings its sources look up agree, and the
 * Heroku gateway's generated files (heroku/gateway/) are what manifest.yml's routes give.
 * One line per disagreement, naming both files; exit 1 when there is any.
 */
const { ROOT } = require('../lib/run');
const { parseCommand } = require('@bundle/args');
const { readBundle } = require('../scaffold/bundle');
const { checkBundle } = require('../scaffold/check');
const { staleGateway } = require('../targets/heroku/gateway/files');

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: node scripts/commands/bundle-check.js [--root <dir>]',
  about: 'Checks that the deploy files describe the same apps, processes, routes and bindings; one line per disagreement.',
  options: { root: { type: 'string', value: '<dir>', doc: 'the bundle to check (default: this repository)' } },
  name: 'bundle-check',
};

const { values } = parseCommand(process.argv.slice(2), COMMAND);
const root = typeof values.root === 'string' ? values.root : ROOT;
const problems = checkBundle(readBundle(root));
// Only when the deploy files agree: the generator reads the manifest the lines above judge.
if (problems.length === 0) problems.push(...staleGateway(root));
for (const line of problems) process.stderr.write(`bundle-check: ${line}\n`);
if (problems.length > 0) process.exit(1);
process.stdout.write('bundle-check: the deploy files agree\n');
