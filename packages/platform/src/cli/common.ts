import { join, resolve } from 'node:path';
import { usageError, type Command } from '@bundle/args';
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

export { parseCommand, strings, usageError, varsOf, type Command, type Parsed } from '@bundle/args';
