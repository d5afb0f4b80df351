// @ts-check
/**
 * The arguments of every command of the bundle (the scripts, e2e's journeys, the platform's
 * own programs), by node:util parseArgs, the way the cf and heroku CLIs answer: --help prints
 * the usage line, what the command does and its options, and exits 0; every bad argument
 * prints the usage line first, then one line saying what is wrong, and exits 2.
 *
 * Plain JavaScript checked through its JSDoc, so a fresh clone runs it before anything is
 * built; `tsc -b` writes its declarations (dist/index.d.ts) for the TypeScript workspaces.
 */
const path = require('node:path');
const util = require('node:util');

/**
 * @typedef {object} Option
 * @property {'string' | 'boolean'} type
 * @property {string} doc what --help says of it
 * @property {string} [short] a one-letter alias (e.g. "e" for -e)
 * @property {boolean} [multiple] it may be given again (--var a=1 --var b=2)
 * @property {string} [value] the placeholder --help shows for its value (e.g. "<envs>")
 */

/**
 * @typedef {object} Command
 * @property {string} usage the usage line, "usage: scripts/push <space> [...]"
 * @property {string} about what the command does, for --help
 * @property {Record<string, Option>} options
 * @property {string[]} [positionals] what each positional is, for --help (e.g. "[space]  the space, default dev")
 * @property {number} [maxPositionals] default 0
 * @property {string} [name] what error lines start with (default: the running file's name without .js, "push")
 */

/**
 * @typedef {object} Parsed
 * @property {Record<string, string | boolean | Array<string | boolean> | undefined>} values
 * @property {string[]} positionals
 */

/** What error lines start with. @param {Command} command */
// Without its .js: the command is scripts/push, and every line it prints says "push:".
const nameOf = (command) => command.name ?? path.basename(process.argv[1] ?? 'command', '.js');

/** The --help text. @param {Command} command @returns {string} */
function help(command) {
  /** @type {Array<[string, Option]>} */
  const options = [...Object.entries(command.options), ['help', { type: 'boolean', short: 'h', doc: 'print this help and exit' }]];
  const rows = options.map(
    ([name, option]) =>
      /** @type {[string, string]} */ ([
        `${option.short ? `-${option.short}, ` : ''}--${name}${option.type === 'string' ? ` ${option.value ?? '<value>'}` : ''}`,
        option.doc,
      ]),
  );
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [
    command.usage,
    '',
    command.about,
    ...(command.positionals?.length ? ['', 'arguments:', ...command.positionals.map((line) => `  ${line}`)] : []),
    '',
    'options:',
    ...rows.map(([left, doc]) => `  ${left.padEnd(width)}${doc}`),
    '',
  ].join('\n');
}

/**
 * The usage line, then one line saying what is wrong, on stderr; exit 2.
 * @param {Command} command @param {string} message @returns {never}
 */
function usageError(command, message) {
  process.stderr.write(`${command.usage}\n${nameOf(command)}: ${message}\n`);
  return process.exit(2);
}

/** node's parseArgs error, in one line. @param {unknown} error */
function reason(error) {
  const { code, message } = /** @type {{ code?: string, message: string }} */ (error);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${quoted}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${quoted}`;
  // A value that starts with a dash: node explains over three lines; one is the rule here.
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && message.includes('ambiguous')) {
    const name = /'(?:-\w, )?(--[\w-]+)/.exec(message)?.[1] ?? 'the option';
    return `option ${name}: a value that starts with "-" goes as ${name}=<value>`;
  }
  // "Option '-e, --env <value>' argument missing" and the like: node's words are clear enough.
  return (message.split('\n')[0] ?? message).replace(/^Option/, 'option');
}

/**
 * Parses argv; answers --help and bad arguments itself (it exits), so the caller only sees good ones.
 * @param {string[]} argv @param {Command} command @returns {Parsed}
 */
function parseCommand(argv, command) {
  /** @type {Record<string, { type: 'string' | 'boolean', short?: string, multiple?: boolean }>} */
  const options = { help: { type: 'boolean', short: 'h' } };
  for (const [name, { type, short, multiple }] of Object.entries(command.options))
    options[name] = { type, ...(short ? { short } : {}), ...(multiple ? { multiple } : {}) };
  let parsed;
  try {
    parsed = util.parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError(command, reason(error));
  }
  if (parsed.values.help) {
    process.stdout.write(help(command));
    process.exit(0);
  }
  const max = command.maxPositionals ?? 0;
  if (parsed.positionals.length > max) return usageError(command, `unexpected argument ${parsed.positionals[max]}`);
  return { values: parsed.values, positionals: parsed.positionals };
}

/**
 * The strings a string option was given (each time, when it may repeat).
 * @param {Parsed} parsed @param {string} name @returns {string[]}
 */
function strings(parsed, name) {
  const value = parsed.values[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
}

/** The last string an option was given, or undefined. @param {Parsed} parsed @param {string} name */
const lastString = (parsed, name) => strings(parsed, name).pop();

/**
 * `--var name=value` pairs, as cf push takes them; a pair without a name is a usage error.
 * @param {Command} command @param {string[]} pairs @returns {Record<string, string>}
 */
function varsOf(command, pairs) {
  /** @type {Record<string, string>} */
  const vars = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) usageError(command, `--var ${pair}: expected name=value`);
    vars[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return vars;
}

module.exports = { parseCommand, usageError, help, strings, lastString, varsOf };
