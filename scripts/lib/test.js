// @ts-check
/**
 * scripts/test (what `npm test` runs): tox-like named environments, run in order.
 *   scripts/test                 every environment
 *   scripts/test -e lint,unit    a subset
 *   scripts/test --app users     the test environments for one app (or package) only
 *   scripts/test --list          the environments and what each runs
 * Prints a summary table and "N passed, N failed"; exits 1 when any environment fails.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, run, fail, seconds } = require('./run');

/** @typedef {{ name: string, doc: string, command: (app?: string) => [string, string[]] }} Environment */

/** @param {string[]} projects @param {string[]} extra @returns {(app?: string) => [string, string[]]} */
// Paths go before --selectProjects, which takes every argument after it as a project name.
const jest = (projects, extra = []) => (app) => ['jest', [...(app ? [workspaceOf(app)] : []), ...extra, '--selectProjects', ...projects]];

/** @type {Environment[]} */
const ENVIRONMENTS = [
  {
    name: 'lint',
    doc: 'eslint over every workspace, then every openapi.yaml (swagger-parser validate, redocly lint)',
    // $1: what eslint reads; $2: the app whose openapi.yaml is checked (empty: every app).
    command: (app) => ['sh', ['-c', 'eslint "$1" && node scripts/lib/lint-openapi.js $2', 'lint', app ? workspaceOf(app) : '.', app ?? '']],
  },
  { name: 'typecheck', doc: 'tsc --noEmit: the strict root config, then the ui client (DOM)', command: () => ['npm', ['run', '--silent', 'typecheck']] },
  { name: 'unit', doc: 'pure functions and middleware, no I/O', command: jest(['unit']) },
  { name: 'service', doc: 'each app through supertest against a real redis-server', command: jest(['service']) },
  { name: 'platform', doc: 'real processes: the local platform, scripts, journeys, browser', command: jest(['platform'], ['--runInBand']) },
  {
    name: 'coverage',
    doc: 'every jest project again, measuring coverage; fails under coverageThreshold in jest.config.js',
    command: jest(['unit', 'service', 'platform'], ['--coverage', '--runInBand']),
  },
];

/** @param {string} app */
function workspaceOf(app) {
  for (const folder of ['apps', 'packages']) {
    const candidate = path.join(folder, app);
    if (fs.existsSync(path.join(ROOT, candidate, 'package.json'))) return `${candidate}/`;
  }
  return fail(`--app ${app}: no such app or package (apps: ${fs.readdirSync(path.join(ROOT, 'apps')).join(', ')})`, 2);
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{ only?: string[], app?: string, list: boolean }} */
  const options = { list: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--list') options.list = true;
    else if (arg === '-e' || arg === '--env') options.only = (argv[++i] ?? fail(`${arg} needs a list, e.g. -e lint,unit`, 2)).split(',').filter(Boolean);
    else if (arg === '--app') options.app = argv[++i] ?? fail('--app needs a name, e.g. --app users', 2);
    else if (arg === '-h' || arg === '--help') options.list = true;
    else fail(`unknown option ${arg} (try --list)`, 2);
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.list) {
    for (const environment of ENVIRONMENTS) process.stdout.write(`${environment.name.padEnd(10)} ${environment.doc}\n`);
    return;
  }
  const unknown = (options.only ?? []).filter((name) => !ENVIRONMENTS.some((environment) => environment.name === name));
  if (unknown.length > 0) fail(`unknown environment ${unknown.join(', ')} (known: ${ENVIRONMENTS.map((e) => e.name).join(', ')})`, 2);
  if (options.app) workspaceOf(options.app);
  const selected = ENVIRONMENTS.filter((environment) => !options.only || options.only.includes(environment.name));

  /** @type {{ name: string, ok: boolean, ms: number }[]} */
  const results = [];
  for (const environment of selected) {
    const [command, args] = environment.command(options.app);
    process.stdout.write(`\n=== ${environment.name}: ${command} ${args.join(' ')}\n`);
    const started = Date.now();
    const code = await run(command, args, { env: { FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') } });
    results.push({ name: environment.name, ok: code === 0, ms: Date.now() - started });
  }

  process.stdout.write(`\n${'environment'.padEnd(12)} ${'result'.padEnd(7)} duration\n`);
  for (const result of results) process.stdout.write(`${result.name.padEnd(12)} ${(result.ok ? 'pass' : 'FAIL').padEnd(7)} ${seconds(result.ms)}\n`);
  const failed = results.filter((result) => !result.ok).length;
  process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

// Run as scripts/test; required (by scripts/pipeline) only for the environment names.
if (require.main === module) void main();

module.exports = { ENVIRONMENT_NAMES: ENVIRONMENTS.map((environment) => environment.name) };
