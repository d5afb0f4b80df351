// @ts-check
/**
 * What the day-two commands share (releases, rollback, run-task, restart, scale, env,
 * set-env, create-service; targets/types.d.ts says what each target's verb file provides):
 * their arguments through parseVerb (--target, default local; each target's own flags and
 * checks), --dry-run only with a target whose verb runs a CLI's commands, the app checked
 * against the manifest and the target, the io a verb works through, and a verb's Failure
 * as one line and exit 1.
 */
const fs = require('node:fs');
const { usageError } = require('@bundle/args');
const { onPath } = require('../lib/steps');
const { makeShell } = require('../lib/shell');
const { Failure } = require('../lib/failure');
const { varsFile, manifestFor } = require('../lib/manifest');
const { parseVerb, targetsFor } = require('../targets');

/** @typedef {import('../targets/types').DayTwoBase} DayTwoBase */
/** @typedef {import('../targets/types').DayTwoIO} DayTwoIO */
/** @typedef {import('@bundle/args').Command} Command */

/** The options every day-two command has, after its own. */
const TARGET_OPTION = /** @type {const} */ ({
  type: 'string',
  value: '{targets}',
  doc: 'where the space is (default local: this machine)',
});
const DRY_RUN_OPTION = /** @type {const} */ ({ type: 'boolean', doc: 'cf, heroku: print the commands it would run; run none' });

/** A line on stdout, "<verb>: <line>". @param {string} verb */
const sayer = (verb) => (/** @type {string} */ line) => void process.stdout.write(`${verb}: ${line}\n`);

/**
 * Ends the command with one line on stderr ("<verb>: <line>"), exit 1 (or `code`).
 * @param {string} verb @param {string} line @param {number} [code] @returns {never}
 */
function stop(verb, line, code = 1) {
  process.stderr.write(`${verb}: ${line}\n`);
  return process.exit(code);
}

/**
 * Parses a day-two command's arguments (every problem: the usage line, one line, exit 2) and
 * makes its io. `positionals` are the arguments after the space (the app, KEY=VALUE pairs).
 * @param {string[]} argv @param {Command} command its usage has {targets} and {flags}, its options target and dry-run
 * @param {string} verb the verb file's name (run-task, set-env, ...)
 * @param {string} [label] what its lines start with, when the command is not the verb (rotate-keys, made of several)
 */
function parseDayTwo(argv, command, verb, label = verb) {
  const parsed = parseVerb(argv, { name: verb, ...command }, verb, { target: 'local' });
  const module = /** @type {DayTwoBase & Record<string, any>} */ (parsed.module);
  const dryRun = parsed.values['dry-run'] === true;
  if (dryRun && !module.commands) {
    const withCommands = targetsFor(verb).filter((target) => target.module.commands);
    usageError(
      parsed.command,
      `--dry-run is for ${withCommands.map(({ name }) => `--target ${name}`).join(' or ')} (the ${parsed.target} ${verb} runs no commands of its own)`,
    );
  }
  const say = sayer(label);
  /** @type {DayTwoIO} */
  const io = { say, shell: makeShell({ dryRun, say }) };
  return { ...parsed, module, dryRun, io, rest: parsed.positionals.slice(1) };
}

/**
 * The app named on the command line: one of the manifest's (when the space has a vars file to
 * read it with), and one the target knows in that space. Else the usage line, one line, exit 2.
 * @param {ReturnType<typeof parseDayTwo>} parsed @param {string | undefined} app
 * @returns {import('../../packages/platform/src/manifest/types').AppSpec | undefined} the manifest's app, when read
 */
function checkApp(parsed, app) {
  if (app === undefined) return usageError(parsed.command, 'which app?');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(app)) return usageError(parsed.command, `"${app}" is not an app name (lower-case letters, digits, -)`);
  /** @type {import('../../packages/platform/src/manifest/types').AppSpec | undefined} */
  let spec;
  if (fs.existsSync(varsFile(parsed.space))) {
    const apps = manifestFor(parsed.space).apps;
    spec = apps.find((candidate) => candidate.name === app);
    if (!spec) return usageError(parsed.command, `manifest.yml has no app ${app} (its apps: ${apps.map(({ name }) => name).join(', ')})`);
  }
  const problem = parsed.module.checkApp?.(parsed.space, app);
  if (problem) return usageError(parsed.command, problem);
  return spec;
}

/**
 * Runs a day-two command's work: the target's CLI must be there for a real run; a Failure
 * the verb throws is one line and exit 1.
 * @param {ReturnType<typeof parseDayTwo>} parsed @param {string} verb @param {() => Promise<void>} work
 */
async function runDayTwo(parsed, verb, work) {
  const tool = parsed.module.tool;
  if (!parsed.dryRun && tool && !onPath(tool.name))
    return stop(verb, `${tool.name} is not installed: ${tool.install} (or use --target local)`);
  try {
    await work();
  } catch (error) {
    if (error instanceof Failure) return stop(verb, error.message);
    throw error;
  }
  return undefined;
}

module.exports = { TARGET_OPTION, DRY_RUN_OPTION, parseDayTwo, checkApp, runDayTwo, stop, sayer };
