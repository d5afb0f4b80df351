// @ts-check
/**
 * scripts/push <space> [--target local|cf|heroku] [--dry-run]
 * Builds once, pushes that build to the space, then waits until every app answers the
 * pushed version on /version. --dry-run prints the exact commands and runs none.
 * Order of a real run: preflight check, build, push steps, version wait; any failure is
 * one line and a non-zero exit, and nothing after it runs.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, fail, seconds } = require('./run');
const { display, runStep } = require('./steps');
const { waitForVersion } = require('./wait-version');

/** @typedef {import('./steps').Step} Step */
/** @typedef {import('./wait-version').VersionTarget} VersionTarget */
/**
 * @typedef {{ step: Step, failure: (output: string) => string, missing?: string }} Preflight
 *   missing: set when the tool itself is not installed (the one line to print).
 * @typedef {{
 *   name: string,
 *   validate: (space: string) => string | undefined,
 *   preflight: (space: string) => Preflight | undefined,
 *   builds: (space: string) => boolean,
 *   steps: (space: string, version: string) => Step[],
 *   versionTargets: (space: string) => Promise<VersionTarget[]>,
 *   ready?: (space: string) => Promise<string | undefined>,
 *   describe?: (space: string, version: string) => string[],
 *   push?: (space: string, version: string, log: (line: string) => void) => Promise<string | undefined>,
 * }} Target
 *   ready: a check before the build (a failure line, or undefined);
 *   push: a target driven through an API rather than commands (local) pushes here, after
 *   its steps, and returns a failure line or undefined; describe: what --dry-run prints for it.
 */

/** @type {Step} */
const BUILD = { argv: ['scripts/build'], why: 'the build failed (see above); nothing was pushed' };
const USAGE = 'usage: scripts/push <space> [--target local|cf|heroku] [--dry-run]';

/** @returns {Record<string, Target>} */
function targets() {
  return { local: require('./push-local').local, cf: require('./push-cf').cf, heroku: require('./push-heroku').heroku };
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{ space?: string, target: string, dryRun: boolean }} */
  const options = { target: 'local', dryRun: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = /** @type {string} */ (argv[i]);
    if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--target') options.target = argv[++i] ?? fail(`--target needs a value (local, cf or heroku); ${USAGE}`, 2);
    else if (arg.startsWith('--target=')) options.target = arg.slice('--target='.length);
    else if (arg.startsWith('-')) fail(`unknown option ${arg}; ${USAGE}`, 2);
    else if (options.space) fail(`one space only (got ${options.space} and ${arg}); ${USAGE}`, 2);
    else options.space = arg;
  }
  if (!options.space) fail(`which space? ${USAGE}`, 2);
  return /** @type {{ space: string, target: string, dryRun: boolean }} */ (options);
}

/** @param {string} line */
const say = (line) => process.stdout.write(`push: ${line}\n`);

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const all = targets();
  const target = all[options.target];
  if (!target) return fail(`unknown target "${options.target}" (known: ${Object.keys(all).join(', ')})`, 2);
  const invalid = target.validate(options.space);
  if (invalid) return fail(invalid, 2);
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

  const preflight = target.preflight(options.space);
  const steps = [...(preflight ? [preflight.step] : []), ...(target.builds(options.space) ? [BUILD] : []), ...target.steps(options.space, version)];
  if (options.dryRun) {
    for (const step of steps) process.stdout.write(`${display(step.argv)}\n`);
    process.stdout.write(`# then wait until every app answers version ${version} on /version\n`);
    return undefined;
  }
  if (preflight?.missing) return fail(preflight.missing);
  const notReady = await target.ready?.(options.space);
  if (notReady) return fail(notReady);

  const started = Date.now();
  say(`${version} to ${options.space} (${target.name})`);
  for (const step of steps) {
    if (!step.quiet) say(`$ ${display(step.argv)}`);
    const result = await runStep(step);
    if (result.code !== 0) return fail(preflight && step === preflight.step ? preflight.failure(result.output) : step.why);
  }
  if (target.push) {
    const problem = await target.push(options.space, version, say);
    if (problem) return fail(problem);
  }
  say(`waiting until every app answers ${version} on /version`);
  const waited = await waitForVersion(await target.versionTargets(options.space), version, { log: (line) => say(line) });
  if (!waited.ok) return fail(waited.reason);
  say(`${options.space} runs ${version} (${seconds(Date.now() - started)})`);
  return undefined;
}

void main();
