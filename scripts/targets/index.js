// @ts-check
/**
 * The targets a release goes to, and what a target must provide.
 *
 *   targets/<target>/<verb>.js   one file per verb the target offers: push.js, provision.js,
 *                                journeys.js (where the pipeline's journeys find a space);
 *                                a new verb (releases, rollback, run-task, ...) is a file in
 *                                each target folder, its interface in types.d.ts, and a
 *                                commands/<verb>.js that calls parseVerb.
 *
 * Every verb file exports one object (types.d.ts says what each verb's holds) with, besides
 * what its verb needs:
 *   flags     its own options of the command, { name: { type, value, doc, elsewhere? } }:
 *             the command lists them in --help (as "<target> only: <doc>"), and refuses one
 *             given with another target in one line ("--strategy is for --target cf (the
 *             heroku push <elsewhere>)"); the target checks their values in `check`;
 *   synopsis  how the usage line shows those flags, e.g. "[--strategy rolling|canary]";
 *   check     (space, values) => a usage problem in one line (an unknown space, a flag's
 *             bad value), or undefined.
 */
const fs = require('node:fs');
const path = require('node:path');
const { parseCommand, usageError } = require('@bundle/args');

/** Every target, in the order commands name them. */
const TARGETS = ['local', 'cf', 'heroku'];

/** @typedef {import('./types').VerbBase} VerbBase */
/** @typedef {import('./types').Values} Values */

/**
 * The targets that offer `verb`, in TARGETS order, with their module.
 * @param {string} verb @returns {{ name: string, module: VerbBase & Record<string, any> }[]}
 */
function targetsFor(verb) {
  return TARGETS.filter((name) => fs.existsSync(path.join(__dirname, name, `${verb}.js`))).map((name) => ({
    name,
    module: require(path.join(__dirname, name, verb)),
  }));
}

/**
 * A verb's command: its own options, then each target's flags; the usage line gets
 * `{targets}` (local|cf|heroku) and `{flags}` (the targets' synopses) filled in.
 * @param {import('@bundle/args').Command} base @param {string} verb
 * @returns {{ command: import('@bundle/args').Command, targets: ReturnType<typeof targetsFor>, owners: Map<string, string[]> }}
 */
function verbCommand(base, verb) {
  const targets = targetsFor(verb);
  /** @type {Map<string, string[]>} flag -> the targets that declare it */
  const owners = new Map();
  /** @type {Record<string, import('@bundle/args').Option>} */
  const flags = {};
  for (const { name, module } of targets) {
    for (const [flag, option] of Object.entries(module.flags ?? {})) {
      owners.set(flag, [...(owners.get(flag) ?? []), name]);
      const { elsewhere: _elsewhere, ...rest } = option;
      flags[flag] = { ...rest, doc: `${(owners.get(flag) ?? []).join(', ')} only: ${option.doc}` };
    }
  }
  const names = targets.map(({ name }) => name).join('|');
  // The command's own options keep their places around the targets' (its first one, then theirs).
  const [first, ...others] = Object.entries(base.options).map(
    ([name, option]) =>
      /** @type {[string, import('@bundle/args').Option]} */ ([name, { ...option, value: option.value?.replace('{targets}', names) }]),
  );
  const synopsis = targets.flatMap(({ module }) => (module.synopsis ? [` ${module.synopsis}`] : [])).join('');
  return {
    command: {
      ...base,
      usage: base.usage.replace('{targets}', names).replace(' {flags}', synopsis),
      options: { ...(first ? { [first[0]]: first[1] } : {}), ...flags, ...Object.fromEntries(others) },
    },
    targets,
    owners,
  };
}

/**
 * Parses a verb command's arguments and answers --help and every argument problem (usage
 * line, one line, exit 2): no space, an unknown target, another target's flag, and then
 * the chosen target's own checks.
 * @param {string[]} argv @param {import('@bundle/args').Command} base @param {string} verb
 * @param {{ target?: string }} defaults target: when --target is not given (without one, --target must be)
 * @returns {{ space: string, target: string, module: VerbBase & Record<string, any>, values: Values, command: import('@bundle/args').Command, positionals: string[] }}
 */
function parseVerb(argv, base, verb, defaults) {
  const { command, targets, owners } = verbCommand(base, verb);
  const { values, positionals } = parseCommand(argv, command);
  if (positionals.length === 0) return usageError(command, 'which space?');
  const target = typeof values.target === 'string' ? values.target : defaults.target;
  if (target === undefined) return usageError(command, `which target? ${targets.map(({ name }) => `--target ${name}`).join(' or ')}`);
  const chosen = targets.find(({ name }) => name === target);
  if (!chosen) return usageError(command, `unknown target "${target}" (known: ${targets.map(({ name }) => name).join(', ')})`);
  for (const [flag, names] of owners) {
    if (values[flag] === undefined || names.includes(target)) continue;
    const elsewhere = targets.find(({ name }) => name === names[0])?.module.flags?.[flag]?.elsewhere;
    usageError(
      command,
      `--${flag} is for ${names.map((name) => `--target ${name}`).join(' or ')}${elsewhere ? ` (the ${target} ${verb} ${elsewhere})` : ''}`,
    );
  }
  const space = /** @type {string} */ (positionals[0]);
  const problem = chosen.module.check?.(space, values);
  if (problem) return usageError(command, problem);
  return { space, target, module: chosen.module, values, command, positionals };
}

module.exports = { TARGETS, targetsFor, verbCommand, parseVerb };
