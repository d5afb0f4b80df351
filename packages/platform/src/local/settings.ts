import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppSpec, Manifest } from '../manifest/types';

/**
 * What day-two commands changed in a space that the manifest does not say: variables from
 * scripts/set-env and sizes from scripts/scale. Kept in .local/<space>/settings.json so they
 * survive a restart of the space (as a cf app keeps its set-env and scale), and applied over
 * the manifest each time the space reads it: start, push, restart.
 */
export interface SpaceSettings {
  /** app -> variables (scripts/set-env). */
  env: Record<string, Record<string, string>>;
  /** "app/process" -> its scale (scripts/scale). */
  scale: Record<string, { instances?: number; memoryMb?: number }>;
}

export const settingsPath = (dataDir: string): string => join(dataDir, 'settings.json');

export function readSettings(dataDir: string): SpaceSettings {
  const file = settingsPath(dataDir);
  if (!existsSync(file)) return { env: {}, scale: {} };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SpaceSettings>;
  return { env: parsed.env ?? {}, scale: parsed.scale ?? {} };
}

/** Changes the settings and writes them at once (a rename: a reader never sees half a file). The file holds values of set-env: mode 600. */
export function updateSettings(dataDir: string, change: (settings: SpaceSettings) => void): SpaceSettings {
  const settings = readSettings(dataDir);
  change(settings);
  mkdirSync(dataDir, { recursive: true });
  const file = settingsPath(dataDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return settings;
}

/** One app with the settings over it: its set-env variables over the manifest's env, its processes at their scale. */
export function appWithSettings(app: AppSpec, settings: SpaceSettings): AppSpec {
  return {
    ...app,
    env: { ...app.env, ...(settings.env[app.name] ?? {}) },
    processes: app.processes.map((process) => {
      const scale = settings.scale[`${app.name}/${process.type}`];
      return { ...process, instances: scale?.instances ?? process.instances, memoryMb: scale?.memoryMb ?? process.memoryMb };
    }),
  };
}

export function withSettings(manifest: Manifest, settings: SpaceSettings): Manifest {
  return { ...manifest, apps: manifest.apps.map((app) => appWithSettings(app, settings)) };
}
