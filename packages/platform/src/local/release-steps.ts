import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../manifest/types';
import type { Vars } from '../manifest/vars';
import { releasesKept, ReleaseStore, type ReleaseRecord } from './releases';

/**
 * What of a space a release needs (the Space class has it; named here so that space.ts,
 * which makes its first release through these functions, is not imported back).
 */
export interface ReleaseHost {
  readonly options: { root: string; releasesKept?: number };
  readonly env: NodeJS.ProcessEnv;
  readonly dataDir: string;
  readonly manifestFile: string;
  readonly slots: ReadonlyMap<string, { app: { path: string } }>;
  releases: ReleaseStore | undefined;
  release: ReleaseRecord | undefined;
  say(line: string): void;
}

/**
 * The space's release store, made once with RELEASES_KEPT (or the option) checked: a bad
 * value stops the start with one line, as every setting does.
 */
export function releaseStoreOf(space: ReleaseHost): ReleaseStore {
  space.releases ??= new ReleaseStore(
    space.options.root,
    space.dataDir,
    releasesKept(space.options.releasesKept ?? space.env.RELEASES_KEPT),
  );
  return space.releases;
}

/**
 * A new release of `manifest` (read from the working tree with `vars`): its droplet, and the
 * manifest with every app's path in it, which is what the instances run. Its version is
 * the manifest's ((version)), which becomes APP_VERSION, else package.json's.
 */
export function makeRelease(space: ReleaseHost, manifest: Manifest, vars: Vars): { release: ReleaseRecord; manifest: Manifest } {
  const store = releaseStoreOf(space);
  const version =
    typeof vars.version === 'string' || typeof vars.version === 'number' ? String(vars.version) : packageVersion(space.options.root);
  const made = store.make(manifest, space.manifestFile, vars, version);
  space.say(`release ${made.release.id}: droplet in ${store.dir(made.release.id)}`);
  return made;
}

/** The releases the space's instances run from now (one per slot, by its app's path). */
export function releasesInUse(space: ReleaseHost): Set<string> {
  const ids = new Set<string>();
  for (const slot of space.slots.values()) {
    const id = space.releases?.releaseOfPath(slot.app.path);
    if (id) ids.add(id);
  }
  if (space.release) ids.add(space.release.id);
  return ids;
}

export const inUse = (space: ReleaseHost, id: string): boolean => releasesInUse(space).has(id);

/** The root package.json's version (what a build is when the manifest's vars name none). */
function packageVersion(root: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
