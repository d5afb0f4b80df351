// @ts-check
/**
 * scripts/push <space> [--target local|cf|heroku] [<the target's flags>] [--dry-run]
 * Builds once, pushes that build to the space, then waits until every app answers the
 * pushed version on /version. --dry-run prints the exact commands and runs none.
 * Order of a real run: preflight check, build, push steps, version wait; any failure is
 * one line and a non-zero exit, and nothing after it runs. What a push is on each target,
 * and its own flags (cf's --strategy), are in targets/<target>/push.js.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, fail, seconds } = require('../lib/run');
const { display, runStep } = require('../lib/steps');
const { waitForVersion } = require('../lib/wait-version');
const { parseVerb } = require('../targets');

/** @typedef {import('../targets/types').PushTarget} PushTarget */

/** @type {import('../lib/steps').Step} */
const BUILD = { argv: ['scripts/build'], why: 'the build failed (see above); nothing was pushed' };
/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: scripts/push <space> [--target {targets}] {flags} [--dry-run]',
  about: 'Builds once, pushes that build to <space>, then waits until every app answers the pushed\nversion on /version.',
  positionals: ['<space>  dev, staging, production (a vars/<space>.yml)'],
  maxPositionals: 1,
  options: {
    target: { type: 'string', value: '{targets}', doc: 'where to push (default local: the platform on this machine)' },
    'dry-run': { type: 'boolean', doc: 'print the commands (and, for cf, what each app uploads); run none' },
  },
};

/** @param {string} line */
const say = (line) => process.stdout.write(`push: ${line}\n`);

async function main() {
  const { space, target: name, values, module } = parseVerb(process.argv.slice(2), COMMAND, 'push', { target: 'local' });
  const target = /** @type {PushTarget} */ (module);
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

  const preflight = target.preflight(space);
  const steps = [...(preflight ? [preflight.step] : []), ...(target.builds(space) ? [BUILD] : []), ...target.steps(space, version, values)];
  if (values['dry-run'] === true) {
    for (const line of target.report?.(space) ?? []) process.stdout.write(`# ${line}\n`);
    for (const step of steps) for (const line of (await step.dryRun?.()) ?? [display(step.argv)]) process.stdout.write(`${line}\n`);
    process.stdout.write(`# then wait until every app answers version ${version} on /version\n`);
    return undefined;
  }
  if (preflight?.missing) return fail(preflight.missing);
  const notReady = await target.ready?.(space);
  if (notReady) return fail(notReady);

  const started = Date.now();
  say(`${version} to ${space} (${name})`);
  for (const step of steps) {
    if (!step.quiet) say(`$ ${display(step.argv)}`);
    const result = await runStep(step);
    if (result.code !== 0) return fail(preflight && step === preflight.step ? preflight.failure(result.output) : step.why);
  }
  if (target.push) {
    const problem = await target.push(space, version, say);
    if (problem) return fail(problem);
  }
  say(`waiting until every app answers ${version} on /version`);
  const waited = await waitForVersion(await target.versionTargets(space), version, { log: (line) => say(line) });
  if (!waited.ok) return fail(waited.reason);
  say(`${space} runs ${version} (${seconds(Date.now() - started)})`);
  return undefined;
}

void main();
