import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { ManifestError } from './errors';
import { isMap, isScalar, parseYaml } from './source';

export type Vars = Record<string, unknown>;

const VAR = /\(\(([A-Za-z0-9_.-]+)\)\)/g;

/** Reads a `--vars-file`: a flat YAML map of names to values, as the cf CLI reads it. */
export function readVarsFile(file: string, root: string): Vars {
  const shown = shownPath(root, file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ManifestError(`${shown}: cannot read the vars file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  const source = parseYaml(text, shown);
  if (source.root === null || source.root === undefined) return {};
  if (!isMap(source.root)) throw new ManifestError(`${source.at(source.root)}: a vars file is a map of names to values`);
  const vars: Vars = {};
  for (const pair of source.root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined) throw new ManifestError(`${source.at(pair.key)}: a vars file's keys are names`);
    vars[key] = isScalar(pair.value) ? pair.value.value : (pair.value as { toJSON(): unknown } | null)?.toJSON();
  }
  return vars;
}

/** The ((names)) a string uses. */
export function varsIn(text: string): string[] {
  return [...text.matchAll(VAR)].map((match) => match[1] ?? '');
}

/**
 * Interpolates one scalar as the cf CLI does: a value that is exactly ((name)) takes the
 * variable's value and type (so `instances: ((web_instances))` stays a number); a value
 * with ((name)) inside text becomes text. Missing names are collected, not thrown, so one
 * line can name them all.
 */
export function interpolate(value: unknown, vars: Vars, missing: Set<string>): unknown {
  if (typeof value !== 'string' || !value.includes('((')) return value;
  const whole = /^\(\(([A-Za-z0-9_.-]+)\)\)$/.exec(value);
  if (whole) {
    const name = whole[1] ?? '';
    if (!(name in vars)) missing.add(name);
    return vars[name];
  }
  return value.replace(VAR, (_, name: string) => {
    if (!(name in vars)) {
      missing.add(name);
      return '';
    }
    return String(vars[name]);
  });
}

/** A file as messages show it: relative to the repository when inside it, else absolute. */
export function shownPath(root: string, file: string): string {
  const inside = relative(root, file);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? file : inside;
}
