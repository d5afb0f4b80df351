// @ts-check
/**
 * scripts/pipeline [--target local|cf|heroku] [--from <stage>] [--to <stage>] [--bump major|minor|patch] [--test-env lint,unit,...] [--stop-after]
 * The delivery pipeline, each stage one script: test, bump, push-staging, e2e-staging,
 * push-production, smoke-production. Prints each stage as it starts and ends with its
 * duration, and a summary; stops at the first failure with one line and a non-zero exit,
 * so a failed staging stage never reaches production. --from resumes at a stage, --to
 * stops after one (the main workflow runs each space as its own job, behind its environment).
 *
 * A bad production push is undone: push-production first notes the release production
 * serves (the target's releases verb); when smoke-production then fails, production rolls
 * back to it (the target's rollback verb, rolling), and the pipeline fails naming both
 * versions. The summary ends with the spaces left running on this machine (instances,
 * memory) and the command that stops them; --stop-after stops them instead.
 * Where each space answers: targets/<target>/journeys.js (local: the platform's router on
 * this machine); E2E_<SPACE>_URL (and E2E_<SPACE>_APP_URL, a template with {app}) beat them.
 *
 * The test stage runs lint, typecheck, unit and service by default (--test-env all: every
 * environment of scripts/test). A commit reaches main through a pull request whose CI ran
 * the whole of scripts/test; the platform and coverage environments take over six minutes
 * on two cores, and the platform one holds the test of this very pipeline, which would
 * bring up two more spaces inside the run.
 */
const fs = require('node:fs');
const path = require('node:path');
const { parseCommand, usageError } = require('@bundle/args');
const { ROOT, run, fail, seconds } = require('../lib/run');
const { changedSummary, dirtyPaths } = require('../lib/git');
const { makeShell } = require('../lib/shell');
const { Failure } = require('../lib/failure');
const { targetsFor } = require('../targets');
const { ENVIRONMENT_NAMES } = require('./test');

/** @typedef {import('../targets/types').JourneysTarget} JourneysTarget */
/** @typedef {import('../targets/types').ReleasesTarget} ReleasesTarget */
/** @typedef {import('../targets/types').RollbackTarget} RollbackTarget */

const STAGES = ['test', 'bump', 'push-staging', 'e2e-staging', 'push-production', 'smoke-production'];
const TARGETS = targetsFor('journeys').map(({ name }) => name);
const DEFAULT_TEST_ENV = 'lint,typecheck,unit,service';
/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage:
    'usage: scripts/pipeline [--target local|cf|heroku] [--from <stage>] [--to <stage>] [--bump major|minor|patch] [--test-env <env>,...|all] [--stop-after]',
  about: `The delivery pipeline, one stage after another: ${STAGES.join(', ')}.\nStops at the first failure with one line and a non-zero exit.`,
  options: {
    target: { type: 'string', value: 'local|cf|heroku', doc: 'where the spaces are (default local: this machine)' },
    from: { type: 'string', value: '<stage>', doc: 'resume at this stage (default test)' },
    to: { type: 'string', value: '<stage>', doc: 'stop after this stage (default smoke-production); CI runs each space as its own job' },
    bump: { type: 'string', value: 'major|minor|patch', doc: 'which part of the version the bump stage raises (default patch)' },
    'test-env': {
      type: 'string',
      value: '<env>,...|all',
      doc: `the test stage's environments (default ${DEFAULT_TEST_ENV}; all: every one)`,
    },
    'stop-after': { type: 'boolean', doc: 'stop the spaces it ran on this machine when it is done (local)' },
  },
};

/** @param {string[]} argv */
function parseArgs(argv) {
  const { values } = parseCommand(argv, COMMAND);
  /** @param {string} name @param {string} fallback */
  const given = (name, fallback) => (typeof values[name] === 'string' ? /** @type {string} */ (values[name]) : fallback);
  const options = {
    target: given('target', 'local'),
    from: given('from', 'test'),
    to: given('to', 'smoke-production'),
    bump: given('bump', 'patch'),
    testEnv: given('test-env', DEFAULT_TEST_ENV),
    stopAfter: values['stop-after'] === true,
  };
  if (!TARGETS.includes(options.target)) usageError(COMMAND, `unknown target "${options.target}" (known: ${TARGETS.join(', ')})`);
  for (const stage of [options.from, options.to])
    if (!STAGES.includes(stage)) usageError(COMMAND, `unknown stage "${stage}" (stages: ${STAGES.join(', ')})`);
  if (STAGES.indexOf(options.to) < STAGES.indexOf(options.from))
    usageError(COMMAND, `--to ${options.to} comes before --from ${options.from}`);
  const envs = options.testEnv === 'all' ? ENVIRONMENT_NAMES : options.testEnv.split(',').filter(Boolean);
  const unknownEnvs = envs.length === 0 ? ['(none)'] : envs.filter((name) => !ENVIRONMENT_NAMES.includes(name));
  if (unknownEnvs.length > 0)
    usageError(COMMAND, `unknown test environment ${unknownEnvs.join(', ')} (known: ${ENVIRONMENT_NAMES.join(', ')}, or all)`);
  if (!['major', 'minor', 'patch'].includes(options.bump))
    usageError(COMMAND, `--bump takes major, minor or patch (got "${options.bump}")`);
  return options;
}

/** @param {string} target @returns {JourneysTarget} */
const journeysOf = (target) => /** @type {JourneysTarget} */ (targetsFor('journeys').find(({ name }) => name === target)?.module);

/**
 * Where the journeys of a space run: E2E_<SPACE>_URL and E2E_<SPACE>_APP_URL when set, the target's answer otherwise.
 * @param {string} target @param {string} space
 */
function journeyTarget(target, space) {
  const key = `E2E_${space.toUpperCase()}`;
  const appUrl = process.env[`${key}_APP_URL`];
  return journeysOf(target).where(space, {
    base: process.env[`${key}_URL`] || undefined,
    appUrlArgs: appUrl ? ['--app-url', appUrl] : [],
    variable: `${key}_URL`,
  });
}

const version = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

/** @param {string} line */
const say = (line) => void process.stdout.write(`pipeline: ${line}\n`);
/** The io of a target's verb the pipeline calls itself: its lines as "pipeline: ...". */
const verbIO = () => ({ say, shell: makeShell({ dryRun: false, say }) });

/**
 * The release a space serves now, from the target's releases verb: its version; null when it
 * serves none; undefined when the target cannot tell (no releases verb, or it failed: said).
 * @param {string} target @param {string} space @returns {Promise<string | null | undefined>}
 */
async function servedRelease(target, space) {
  const verb = /** @type {ReleasesTarget | undefined} */ (targetsFor('releases').find(({ name }) => name === target)?.module);
  if (!verb) return undefined;
  try {
    return (await verb.releases(space, verbIO())).find((release) => release.current)?.version ?? null;
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    say(`cannot tell which release ${space} serves before the push: ${error.message}`);
    return undefined;
  }
}

/**
 * Rolls `space` back after a failed smoke, to `before` (the release it served before the
 * push), else to the release before the current one. The clause the failure line ends with.
 * @param {string} target @param {string} space @param {string | null | undefined} before
 * @returns {Promise<string>}
 */
async function rollBack(target, space, before) {
  const verb = /** @type {RollbackTarget | undefined} */ (targetsFor('rollback').find(({ name }) => name === target)?.module);
  if (!verb) return `--target ${target} has no rollback: ${space} serves ${version()}`;
  if (before === null) return `${space} served no release before ${version()}: nothing to roll back to`;
  if (before === version()) return `${space} served ${before} before this push too: nothing to roll back to`;
  say(`▶ rolling ${space} back to ${before ?? 'the release before the current one'}`);
  try {
    const { from, to } = await verb.rollback(space, before, verbIO());
    return `${space} rolled back from ${from} to ${to}`;
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    return `the rollback of ${space} failed too: ${error.message}`;
  }
}

/**
 * What each stage runs. Versions are read when the stage starts, so a resumed run
 * (--from e2e-staging) expects the version the last bump wrote.
 * @param {ReturnType<typeof parseArgs>} options
 * @returns {Record<string, () => Promise<string | undefined>>} stage -> failure line, or undefined when it passed
 */
function stages(options) {
  /** @param {string} command @param {string[]} args @param {string} what */
  const step = async (command, args, what) => {
    process.stdout.write(`pipeline: $ ${[command, ...args].join(' ')}\n`);
    const code = await run(command, args);
    return code === 0 ? undefined : `${what} (exit ${code})`;
  };
  const journeys = journeysOf(options.target);
  /** The release production served before push-production (see servedRelease). @type {string | null | undefined} */
  let productionBefore;
  /** @param {string} space @param {string[]} only */
  const e2e = async (space, only) => {
    const where = await journeyTarget(options.target, space);
    if ('problem' in where) return where.problem;
    return step('scripts/e2e', [where.base, ...where.args, '--expect-version', version(), ...only], `the ${space} journeys failed`);
  };
  return {
    test: () => step('scripts/test', options.testEnv === 'all' ? [] : ['-e', options.testEnv], 'tests failed'),
    bump: () => step('scripts/bump', [options.bump], 'the version bump failed'),
    'push-staging': async () =>
      (await journeys.ensure?.('staging')) ?? step('scripts/push', ['staging', '--target', options.target], 'the push to staging failed'),
    'e2e-staging': () => e2e('staging', []),
    'push-production': async () => {
      const notReady = await journeys.ensure?.('production');
      if (notReady) return notReady;
      productionBefore = await servedRelease(options.target, 'production');
      if (productionBefore) say(`production serves ${productionBefore} before the push`);
      return step('scripts/push', ['production', '--target', options.target], 'the push to production failed');
    },
    'smoke-production': async () => {
      const problem = await e2e('production', [
        '--only',
        'smoke,versions',
        ...(process.env.E2E_PRODUCTION_USER ? ['--user', process.env.E2E_PRODUCTION_USER] : []),
      ]);
      return problem && `${problem}; ${await rollBack(options.target, 'production', productionBefore)}`;
    },
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const runners = stages(options);
  const selected = STAGES.slice(STAGES.indexOf(options.from), STAGES.indexOf(options.to) + 1);
  // The bump refuses a tree with changes: say so now, not after the test stage's minutes.
  if (selected.includes('bump')) {
    /** @type {string[]} */
    let dirty = [];
    try {
      dirty = dirtyPaths();
    } catch (error) {
      fail(`the bump stage needs a git checkout: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (dirty.length > 0)
      fail(`the working tree is not clean (${changedSummary(dirty)}), and the bump stage commits a release; commit or stash first`);
  }
  process.stdout.write(`pipeline: target ${options.target}, stages ${selected.join(' -> ')}\n`);
  /** @type {{ stage: string, result: string, ms?: number }[]} */
  const summary = STAGES.filter((stage) => !selected.includes(stage)).map((stage) => ({ stage, result: 'skipped' }));
  const started = Date.now();
  /** @type {string | undefined} */
  let failure;
  for (const stage of selected) {
    if (failure) {
      summary.push({ stage, result: 'not run' });
      continue;
    }
    process.stdout.write(`\npipeline: ▶ ${stage}\n`);
    const begun = Date.now();
    const problem = await /** @type {() => Promise<string | undefined>} */ (runners[stage])();
    const ms = Date.now() - begun;
    process.stdout.write(`pipeline: ${problem ? '✘' : '✔'} ${stage} ${problem ? 'failed' : 'passed'} in ${seconds(ms)}\n`);
    summary.push({ stage, result: problem ? 'FAIL' : 'pass', ms });
    if (problem) failure = `stopped at ${stage}: ${problem}`;
  }
  summary.sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
  process.stdout.write(`\n${'stage'.padEnd(18)} ${'result'.padEnd(8)} duration\n`);
  for (const row of summary)
    process.stdout.write(`${row.stage.padEnd(18)} ${row.result.padEnd(8)} ${row.ms === undefined ? '-' : seconds(row.ms)}\n`);
  process.stdout.write(
    `pipeline: ${failure ? 'FAILED' : 'passed'} in ${seconds(Date.now() - started)}${failure ? '' : ` (version ${version()})`}\n`,
  );
  await leftRunning(options);
  if (failure) fail(failure);
}

/**
 * The summary's last lines: the spaces left running on this machine, their instances and
 * memory, and the command that stops them; with --stop-after, stops them instead.
 * @param {ReturnType<typeof parseArgs>} options
 */
async function leftRunning(options) {
  const journeys = journeysOf(options.target);
  if (!journeys.leftRunning) return;
  /** @type {{ space: string, instances: number, memoryMb: number, stop: string[] }[]} */
  const running = [];
  for (const space of ['staging', 'production']) {
    const left = await journeys.leftRunning(space);
    if (left) running.push({ space, ...left });
  }
  if (running.length === 0) return;
  const listed = running.map(({ space, instances, memoryMb }) => `${space} (${instances} instances, ${memoryMb} MB)`).join(', ');
  if (!options.stopAfter) {
    say(`left running: ${listed}`);
    say(`stop them with: ${running.map(({ stop }) => stop.join(' ')).join('; ')} (or run the pipeline with --stop-after)`);
    return;
  }
  for (const { space, stop } of running) {
    const [command, ...args] = /** @type {[string, ...string[]]} */ (stop);
    const code = await run(command, args);
    say(code === 0 ? `stopped ${space}` : `could not stop ${space} (exit ${code}): ${stop.join(' ')}`);
  }
}

// Run as scripts/pipeline; required (by its tests) for journeyTarget.
if (require.main === module) void main();

module.exports = { journeyTarget };
