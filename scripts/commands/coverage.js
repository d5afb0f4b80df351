// @ts-check
/**
 * scripts/test's coverage environment: the coverage the unit, service and platform runs
 * each wrote (coverage/<env>/coverage-final.json, jest --coverage during their one run),
 * merged and held against jest.config.js's coverageThreshold. Tests run once: measuring
 * them is not a second pass.
 *   node scripts/commands/coverage.js           merge, report, check
 *   node scripts/commands/coverage.js --app X   say why there is nothing to check (one app's tests
 *                                               cannot meet the bundle's threshold)
 * Exit 0 at or above every threshold, 1 under one or a run's coverage missing, 2 bad arguments.
 */
const fs = require('node:fs');
const path = require('node:path');
const { parseCommand } = require('@bundle/args');
const libCoverage = require('istanbul-lib-coverage');
const libReport = require('istanbul-lib-report');
const reports = require('istanbul-reports');
const { ROOT } = require('../lib/run');

/** The environments whose runs measure coverage, in scripts/test's order. */
const MEASURED = ['unit', 'service', 'platform'];
const KINDS = /** @type {const} */ (['statements', 'branches', 'functions', 'lines']);

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  name: 'coverage',
  usage: 'usage: node scripts/commands/coverage.js [--app <name>]',
  about: "Merges the coverage of the unit, service and platform runs and checks it against jest.config.js's coverageThreshold.",
  options: { app: { type: 'string', value: '<name>', doc: 'the run was of one app: nothing to check' } },
};

/** Where an environment's run writes its coverage. @param {string} environment */
const coverageDirOf = (environment) => path.join(ROOT, 'coverage', environment);

/** The threshold lines that fail, e.g. "branches 71.2% is under 72%". @param {Record<string, { pct: number }>} summary @param {Record<string, number>} threshold */
function shortfalls(summary, threshold) {
  return KINDS.flatMap((kind) => {
    const wanted = threshold[kind];
    const pct = summary[kind]?.pct ?? 0;
    return wanted !== undefined && pct < wanted ? [`${kind} ${pct}% is under ${wanted}%`] : [];
  });
}

function main() {
  const { values } = parseCommand(process.argv.slice(2), COMMAND);
  if (typeof values.app === 'string') {
    process.stdout.write(`coverage: not checked for --app ${values.app}: the threshold is the whole bundle's\n`);
    return;
  }
  const files = MEASURED.map((environment) => path.join(coverageDirOf(environment), 'coverage-final.json'));
  const missing = MEASURED.filter((_, index) => !fs.existsSync(/** @type {string} */ (files[index])));
  if (missing.length > 0) {
    process.stderr.write(`coverage: no coverage from ${missing.join(', ')}: run scripts/test -e ${MEASURED.join(',')},coverage\n`);
    process.exit(1);
  }
  const map = libCoverage.createCoverageMap({});
  for (const file of files) map.merge(JSON.parse(fs.readFileSync(file, 'utf8')));
  const context = libReport.createContext({ dir: path.join(ROOT, 'coverage'), coverageMap: map });
  for (const name of ['text-summary', 'lcov']) reports.create(/** @type {any} */ (name)).execute(context);
  const threshold = require(path.join(ROOT, 'jest.config.js')).coverageThreshold?.global ?? {};
  const failed = shortfalls(/** @type {any} */ (map.getCoverageSummary().toJSON()), threshold);
  for (const line of failed) process.stderr.write(`coverage: ${line} (coverageThreshold in jest.config.js)\n`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

if (require.main === module) main();

module.exports = { MEASURED, coverageDirOf, shortfalls };
