// @ts-check
/**
 * The scripts' arguments, by node:util parseArgs: --help prints the usage
 * line, what the command does and its options, and exits 0; every bad argument prints the
 * usage line first, then one line saying what is wrong, and exits 2 (as cf and heroku do).
 */
const util = require('node:util');
const { fail } = require('./run');

/**
 * @typedef {{ type: 'string' | 'boolean', short?: string, multiple?: boolean, value?: string, doc: string }} Option
 *   value: the placeholder shown in --help (e.g. "<envs>")
 * @typedef {{ usage: string, about: string, options: Record<string, Option>, positionals?: string[], maxPositionals?: number, name?: string }} Command
 *   positionals: what each positional is, for --help (e.g. ["[space]  the space, default dev"])
 *   name: what error lines start with (default: the script file's name, as run.js's fail)
 */

/** @param {Command} command */
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
 * The usage line, then one line on stderr; exit 2.
 * @param {Command} command @param {string} message @returns {never}
 */
function usageError(command, message) {
  process.stderr.write(`${command.usage}\n`);
  if (!command.name) return fail(message, 2);
  process.stderr.write(`${command.name}: ${message}\n`);
  return process.exit(2);
}

/** @param {unknown} error */
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
 * Parses argv; answers --help and bad arguments itself (exits), so the caller only sees good ones.
 * @param {string[]} argv @param {Command} command
 * @returns {{ values: Record<string, string | boolean | Array<string | boolean> | undefined>, positionals: string[] }}
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

module.exports = { parseCommand, usageError, help };
