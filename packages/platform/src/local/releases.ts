import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ManifestError } from '../manifest/errors';
import { readManifest } from '../manifest/read';
import type { Manifest } from '../manifest/types';
import type { Vars } from '../manifest/vars';
import { copyDroplet, inside } from './droplet';

/** How many releases a space keeps when RELEASES_KEPT does not say. */
export const DEFAULT_RELEASES_KEPT = 5;

/** One release of a space: what .local/<space>/releases/<id>/release.json holds. */
export interface ReleaseRecord {
  /** Its folder under releases/: the version, or <version>+2, +3 for the same version pushed again. */
  id: string;
  /** The bundle's version it runs (APP_VERSION). */
  version: string;
  /** The commit the working tree was at (git short hash), when git could tell. */
  commit?: string;
  /** When it was made, ISO 8601. */
  when: string;
  /** Its place in the space's history: newer releases have larger numbers. */
  sequence: number;
  /** The manifest, relative to the droplet (the repository's layout). */
  manifest: string;
  /** The ((vars)) it was read with, as the space resolved them (router port included). */
  vars: Vars;
}

/** RELEASES_KEPT (or the option): a whole number from 1, checked at boot. */
export function releasesKept(value: unknown): number {
  if (value === undefined || value === '') return DEFAULT_RELEASES_KEPT;
  const kept = Number(value);
  if (!Number.isInteger(kept) || kept < 1 || kept > 100)
    throw new ManifestError(`RELEASES_KEPT: expected how many releases a space keeps, 1 to 100, got ${JSON.stringify(value)}`);
  return kept;
}

/** The commit `root` is at, or undefined (no git, not a repository). */
function commitOf(root: string): string | undefined {
  try {
    return (
      execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

/**
 * A space's releases, each a droplet under <dataDir>/releases/<id>/: a copy of what its
 * instances run (droplet.ts), the manifest, and release.json. Only the space's supervisor
 * writes here (it makes one per push and at its first start, and removes the oldest past
 * `kept`); scripts/releases reads through it.
 */
export class ReleaseStore {
  readonly folder: string;

  constructor(
    private readonly root: string,
    dataDir: string,
    readonly kept: number,
  ) {
    this.folder = join(dataDir, 'releases');
  }

  dir(id: string): string {
    return join(this.folder, id);
  }

  /** Every release kept, newest first. */
  list(): ReleaseRecord[] {
    if (!existsSync(this.folder)) return [];
    const records: ReleaseRecord[] = [];
    for (const id of readdirSync(this.folder)) {
      try {
        records.push(JSON.parse(readFileSync(join(this.folder, id, 'release.json'), 'utf8')) as ReleaseRecord);
      } catch {
        // a droplet being copied (no release.json yet) or a foreign folder: not a release
      }
    }
    return records.sort((a, b) => b.sequence - a.sequence);
  }

  get(id: string): ReleaseRecord | undefined {
    return this.list().find((record) => record.id === id);
  }

  /**
   * Makes the droplet of `manifest` (read from the working tree with `vars`) and answers
   * the release, with the manifest as its instances will run it: every app's path in the
   * droplet. The copy is made under a temporary name and renamed, so a half-made droplet
   * is never listed.
   */
  make(manifest: Manifest, manifestFile: string, vars: Vars, version: string): { release: ReleaseRecord; manifest: Manifest } {
    const existing = this.list();
    const ids = new Set(existing.map((record) => record.id));
    let id = version;
    for (let n = 2; ids.has(id) || existsSync(this.dir(id)); n += 1) id = `${version}+${n}`;
    const building = join(this.folder, `.${id}.${process.pid}.partial`);
    rmSync(building, { recursive: true, force: true });
    copyDroplet(
      this.root,
      building,
      manifest.apps.map((app) => app.path),
      manifestFile,
    );
    const commit = commitOf(this.root);
    const release: ReleaseRecord = {
      id,
      version,
      ...(commit ? { commit } : {}),
      when: new Date().toISOString(),
      sequence: Math.max(0, ...existing.map((record) => record.sequence)) + 1,
      manifest: inside(this.root, manifestFile, 'the manifest'),
      vars,
    };
    writeFileSync(join(building, 'release.json'), `${JSON.stringify(release, null, 2)}\n`);
    renameSync(building, this.dir(id));
    return { release, manifest: this.rebase(manifest, id) };
  }

  /** The manifest of a kept release, read again from its droplet with the vars it ran with (`vars` on top: this space's router port). */
  manifestOf(release: ReleaseRecord, vars: Vars): Manifest {
    const file = join(this.dir(release.id), release.manifest);
    const manifest = readManifest(file, { root: this.dir(release.id), vars: { ...release.vars, ...vars }, varsFiles: [] });
    return { ...manifest, file: release.manifest };
  }

  /** `manifest` with each app's path moved into the droplet `id` (the same place relative to the repository). */
  private rebase(manifest: Manifest, id: string): Manifest {
    return { ...manifest, apps: manifest.apps.map((app) => ({ ...app, path: join(this.dir(id), relative(this.root, app.path)) })) };
  }

  /** Removes a release that never served (its push failed). */
  discard(id: string): void {
    rmSync(this.dir(id), { recursive: true, force: true });
  }

  /** Removes the oldest releases past `kept`, never one in `inUse` (what instances run now). Answers the ids removed. */
  prune(inUse: Set<string>): string[] {
    const removed: string[] = [];
    for (const record of this.list().slice(this.kept)) {
      if (inUse.has(record.id)) continue;
      this.discard(record.id);
      removed.push(record.id);
    }
    return removed;
  }

  /** The release a path in a droplet belongs to (an instance's app path), else undefined. */
  releaseOfPath(path: string): string | undefined {
    const rel = relative(this.folder, path);
    if (rel.startsWith('..') || rel === '') return undefined;
    return rel.split('/')[0];
  }
}
