import { join, resolve } from 'node:path';
import { parseArgs as parseArgv } from 'node:util';
import { SPACE_NAME, spaceNameError } from '../local/space-name';

/** The repository root (this file is packages/platform/{src,dist}/cli/common). */
export const ROOT = resolve(__dirname, '..', '..', '..', '..');

/** Where a space keeps its state; `space` is one a command took through spaceArgument. */
export function dataDirOf(space: string): string {
  return join(ROOT, '.local', space);
}

/**
 * The space a command is about (its first positional, default dev), checked before anything
 * reads or writes under .local: a name such as ../other would reach another folder, or
 * another checkout's space.
 */
export function spaceArgument(command: Command, space = 'dev'): string {
  if (!SPACE_NAME.test(space)) usageError(command, spaceNameError(space));
  return space;
}

/** Ends a command with one line on stderr. */
export function fail(command: string, message: string, code = 1): never {
  process.stderr.write(`${command}: ${message}\n`);
  process.exit(code);
}

export interface Option {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** The placeholder --help shows, e.g. "name=value". */
  value?: string;
  doc: string;
}

/** A command's arguments (node:util parseArgs, --help, the usage line first in every error about them, as scripts/lib/args.js for the scripts). */
export interface Command {
  /** What error lines start with: "start". */
  name: string;
  usage: string;
  about: string;
  positionals?: string[];
  maxPositionals?: number;
  options: Record<string, Option>;
}

export interface Parsed {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
}

export function help(command: Command): string {
  const options: Array<[string, Option]> = [
    ...Object.entries(command.options),
    ['help', { type: 'boolean', doc: 'print this help and exit' }],
  ];
  const rows = options.map(
    ([name, option]) =>
      [`${name === 'help' ? '-h, ' : ''}--${name}${option.type === 'string' ? ` ${option.value ?? '<value>'}` : ''}`, option.doc] as const,
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

/** The usage line, then one line saying what is wrong; exit 2. */
export function usageError(command: Command, message: string): never {
  process.stderr.write(`${command.usage}\n`);
  return fail(command.name, message, 2);
}

function reason(error: unknown): string {
  const { code, message } = error as { code?: string; message: string };
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${quoted}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${quoted}`;
  // A value that starts with a dash: node explains over three lines; one is the rule here.
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && message.includes('ambiguous')) {
    const name = /'(?:-\w, )?(--[\w-]+)/.exec(message)?.[1] ?? 'the option';
    return `option ${name}: a value that starts with "-" goes as ${name}=<value>`;
  }
  return (message.split('\n')[0] ?? message).replace(/^Option/, 'option');
}

/** Parses argv; answers --help (exit 0) and bad arguments (exit 2) itself. */
export function parseCommand(argv: string[], command: Command): Parsed {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, { type, multiple }] of Object.entries(command.options)) options[name] = { type, ...(multiple ? { multiple } : {}) };
  let parsed: Parsed;
  try {
    parsed = parseArgv({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError(command, reason(error));
  }
  if (parsed.values.help === true) {
    process.stdout.write(help(command));
    process.exit(0);
  }
  const max = command.maxPositionals ?? 0;
  if (parsed.positionals.length > max) return usageError(command, `unexpected argument ${parsed.positionals[max]}`);
  return parsed;
}

/** The strings a string option was given (every time, when it may repeat). */
export function strings(parsed: Parsed, name: string): string[] {
  const value = parsed.values[name];
  return typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** `--var name=value` pairs, as cf push takes them. */
export function varsOf(command: string, pairs: string[], usage?: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      if (usage) process.stderr.write(`${usage}\n`);
      fail(command, `--var ${pair}: expected name=value`, 2);
    }
    vars[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return vars;
}
