import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Where each process type of a Procfile listens under a Procfile runner. foreman (Ruby),
 * node-foreman (@heroku/foreman, the runner inside `heroku local`) and honcho give the
 * n-th process type of the Procfile (from 0) the port base + 100 * n, base being -p (or
 * PORT in .env, else 5000; `heroku local` starts at 5006). So a process that knows its own
 * PORT and its type's line knows every other type's port, whatever the base: nothing needs
 * to hard-code 5000. `heroku local` leaves `release` out of what it starts (and so of the
 * numbering): a Procfile for local runners has no release line.
 */

export interface ProcfileEnv {
  PORT?: string;
  PROCFILE?: string;
  FOREMAN_WORKER_NAME?: string;
  PS?: string;
  [name: string]: string | undefined;
}

/** The process types of a Procfile, in order (the runners' own pattern: `name: command`). */
export function processTypes(text: string): { type: string; command: string }[] {
  return text.split('\n').flatMap((line) => {
    const match = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line.trim());
    return match && !line.startsWith('#') ? [{ type: match[1] as string, command: (match[2] as string).trim() }] : [];
  });
}

/** The Procfile the runner was given: PROCFILE, else ./Procfile. */
export function readProcfile(env: ProcfileEnv, cwd = process.cwd()): { path: string; text: string } {
  const path = resolve(cwd, env.PROCFILE ?? 'Procfile');
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * This process's type: the runner's name for it ("users.1": FOREMAN_WORKER_NAME from
 * node-foreman, PS from Ruby foreman), else `fallback`.
 */
export function ownType(env: ProcfileEnv, fallback: string | undefined): string | undefined {
  const name = env.FOREMAN_WORKER_NAME ?? env.PS;
  return name ? name.replace(/\.\d+$/, '') : fallback;
}

/**
 * Every type's port (its first instance), from this process's type and PORT; a one-line
 * reason when they do not fit together.
 */
export function procfilePorts(text: string, self: string, port: number): Map<string, number> | string {
  const types = processTypes(text).map((entry) => entry.type);
  const index = types.indexOf(self);
  if (index < 0) return `process type "${self}" is not in the Procfile (types: ${types.join(', ') || 'none'})`;
  const base = port - 100 * index;
  if (base < 1)
    return `PORT ${port} cannot be the port of line ${index + 1} ("${self}") of the Procfile: the runner numbers lines base + 100 per line`;
  return new Map(types.map((type, n) => [type, base + 100 * n]));
}
