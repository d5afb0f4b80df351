// @ts-check
/**
 * scripts/push <space> [--target local|cf|heroku] [--strategy rolling|canary] [--dry-run]
 * Builds once, pushes that build to the space, then waits until every app answers the
 * pushed version on /version. --dry-run prints the exact commands and runs none.
 * Order of a real run: preflight check, build, push steps, version wait; any failure is
 * one line and a non-zero exit, and nothing after it runs.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, fail, seconds } = require('./run');
const { parseCommand, usageError } = require('./args');
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
 *   steps: (space: string, version: string, options: PushOptions) => Step[],
 *   versionTargets: (space: string) => Promise<VersionTarget[]>,
 *   ready?: (space: string) => Promise<string | undefined>,
 *   describe?: (space: string, version: string) => string[],
 *   report?: (space: string) => string[],
 *   push?: (space: string, version: string, log: (line: string) => void) => Promise<string | undefined>,
 * }} Target
 *   ready: a check before the build (a failure line, or undefined);
 *   push: a target driven through an API rather than commands (local) pushes here, after
 *   its steps, and returns a failure line or undefined; describe: what --dry-run prints for it;
 *   report: comment lines --dry-run prints before the commands (what would be uploaded).
 * @typedef {{ space: string, target: string, dryRun: boolean, strategy: string }} PushOptions
 */

/** @type {Step} */
const BUILD = { argv: ['scripts/build'], why: 'the build failed (see above); nothing was pushed' };
/** @type {import('./args').Command} */
const COMMAND = {
  usage: 'usage: scripts/push <space> [--target local|cf|heroku] [--strategy rolling|canary] [--dry-run]',
  about: 'Builds once, pushes that build to <space>, then waits until every app answers the pushed\nversion on /version.',
  positionals: ['<space>  dev, staging, production (a vars/<space>.yml)'],
  maxPositionals: 1,
  options: {
    target: { type: 'string', value: 'local|cf|heroku', doc: 'where to push (default local: the platform on this machine)' },
    strategy: {
      type: 'string',
      value: 'rolling|canary',
      doc: "cf only: how each app's instances are replaced (default rolling; canary needs cf CLI v8.8+)",
    },
    'dry-run': { type: 'boolean', doc: 'print the commands (and, for cf, what each app uploads); run none' },
  },
};
const STRATEGIES = ['rolling', 'canary'];

/** @returns {Record<string, Target>} */
function targets() {
  return { local: require('./push-local').local, cf: require('./push-cf').cf, heroku: require('./push-heroku').heroku };
}

/** An argument error: the usage line first, then what was wrong (as the cf and heroku CLIs do). @param {string} problem @returns {never} */
const badArgs = (problem) => usageError(COMMAND, problem);

/** @param {string[]} argv @returns {PushOptions} */
function parseArgs(argv) {
  const { values, positionals } = parseCommand(argv, COMMAND);
  if (positionals.length === 0) return badArgs('which space?');
  const target = values.target === undefined ? 'local' : String(values.target);
  const strategy = values.strategy === undefined ? undefined : String(values.strategy);
  if (strategy !== undefined && !STRATEGIES.includes(strategy)) return badArgs(`--strategy takes rolling or canary (got "${strategy}")`);
  if (strategy !== undefined && target !== 'cf')
    return badArgs(`--strategy is for --target cf (the ${target} push has its own way of replacing instances)`);
  return { space: /** @type {string} */ (positionals[0]), target, dryRun: values['dry-run'] === true, strategy: strategy ?? 'rolling' };
}

/** @param {string} line */
const say = (line) => process.stdout.write(`push: ${line}\n`);

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const all = targets();
  const target = all[options.target];
  if (!target) return badArgs(`unknown target "${options.target}" (known: ${Object.keys(all).join(', ')})`);
  const invalid = target.validate(options.space);
  if (invalid) return badArgs(invalid);
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

  const preflight = target.preflight(options.space);
  const steps = [
    ...(preflight ? [preflight.step] : []),
    ...(target.builds(options.space) ? [BUILD] : []),
    ...target.steps(options.space, version, options),
  ];
  if (options.dryRun) {
    for (const line of target.report?.(options.space) ?? []) process.stdout.write(`# ${line}\n`);
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
