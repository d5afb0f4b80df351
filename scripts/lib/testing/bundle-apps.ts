/**
 * The apps of the bundle as its deploy files list them, so the pipeline tests hold for any
 * bundle scripts/new-app can produce: the reference chat's five apps are asserted as a
 * subsequence (in their order relative to each other), and every other app of the
 * manifest as "for each app, ...".
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './throwaway-repo';

/** manifest.yml's apps as written (names and folders), read here so the tests do not lean on what they test. */
export function manifestApps(root = ROOT): { name: string; path: string }[] {
  const manifest = parseYaml(fs.readFileSync(path.join(root, 'manifest.yml'), 'utf8')) as {
    applications?: { name: string; path?: string }[];
  };
  return (manifest.applications ?? []).map((app) => ({ name: app.name, path: app.path ?? '.' }));
}

/** The reference system's apps, in manifest.yml's order. */
export const REFERENCE_APPS = ['ui', 'users', 'tokens', 'messages', 'push'];

/** The names of manifest.yml's apps, in its order. */
export const manifestAppNames = (root = ROOT): string[] => manifestApps(root).map((app) => app.name);

/** heroku.json's app names of a space: bundle app -> Heroku app, in the file's order. */
export function herokuAppsOf(space: string, root = ROOT): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(root, 'heroku.json'), 'utf8'))[space] ?? {};
}

/** heroku.json's gateway app of a space (every public path on one host), if it names one. */
export function herokuGatewayOf(space: string, root = ROOT): string | undefined {
  const gateway = JSON.parse(fs.readFileSync(path.join(root, 'heroku.json'), 'utf8')).gateway?.[space];
  return typeof gateway === 'string' ? gateway : undefined;
}

/** The members of `list` that are in `subset`, in list's order: equal to subset when list holds them in that order. */
export const only = <T>(list: T[], subset: T[]): T[] => list.filter((item) => subset.includes(item));
