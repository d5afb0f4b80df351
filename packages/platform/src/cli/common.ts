import { join, resolve } from 'node:path';

/** The repository root (this file is packages/platform/{src,dist}/cli/common). */
export const ROOT = resolve(__dirname, '..', '..', '..', '..');

export function dataDirOf(space: string): string {
  return join(ROOT, '.local', space);
}

/** Ends a command with one line on stderr. */
export function fail(command: string, message: string, code = 1): never {
  process.stderr.write(`${command}: ${message}\n`);
  process.exit(code);
}

export interface Parsed {
  positional: string[];
  flags: Set<string>;
  options: Map<string, string[]>;
}

/** `a b --json --var x=1 --var y=2` style arguments; `valued` names options that take a value. */
export function parseArgs(command: string, argv: string[], known: string[], valued: string[] = []): Parsed {
  const parsed: Parsed = { positional: [], flags: new Set(), options: new Map() };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) parsed.positional.push(arg);
    else if (valued.includes(arg)) {
      const value = argv[i + 1];
      if (value === undefined) fail(command, `${arg} needs a value`, 2);
      parsed.options.set(arg, [...(parsed.options.get(arg) ?? []), value]);
      i += 1;
    } else if (known.includes(arg)) parsed.flags.add(arg);
    else fail(command, `unknown option ${arg} (known: ${[...known, ...valued].join(', ')})`, 2);
  }
  return parsed;
}

/** `--var name=value` pairs, as cf push takes them. */
export function varsOf(command: string, pairs: string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) fail(command, `--var ${pair}: expected name=value`, 2);
    vars[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return vars;
}
