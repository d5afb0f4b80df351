import { ManifestError } from '../manifest/errors';
import type { AppSpec } from '../manifest/types';
import { instanceEnvironment } from './environment';
import { updateSettings } from './settings';
import type { Space } from './space';

/**
 * The environment an app's instance runs with (its first web instance, else its first
 * instance; an app with none running: what one would get), unmasked: the caller masks.
 * Computed as the instance was started (environment.ts) from the spec it runs, so a
 * variable set since, which the instance does not have yet, is not in it.
 */
export function appEnvironment(space: Space, name: string): Record<string, string> {
  const app = space.manifest?.apps.find((candidate) => candidate.name === name);
  if (!app)
    throw new ManifestError(
      `space ${space.name} runs no app ${name} (its apps: ${space.manifest?.apps.map((other) => other.name).join(', ')})`,
    );
  const slots = [...space.slots.values()]
    .filter((slot) => slot.app.name === name)
    .sort((a, b) => Number(b.process.type === 'web') - Number(a.process.type === 'web') || a.index - b.index);
  const slot = slots[0];
  return environmentOf(space, slot?.app ?? app, slot?.process.type, slot?.index ?? 0, slot?.instance.port ?? 0, slot?.pushId ?? '');
}

/** What environment.ts gives an instance of `app` (the process `type`, else its first) in this space. */
export function environmentOf(
  space: Space,
  app: AppSpec,
  type: string | undefined,
  index: number,
  port: number,
  pushId: string,
): Record<string, string> {
  const process = app.processes.find((candidate) => candidate.type === type) ?? app.processes[0];
  if (!process) throw new ManifestError(`${app.name} has no process`);
  return instanceEnvironment({
    space: space.name,
    app,
    process,
    index,
    port,
    pushId,
    bindings: space.provisioned?.bindings ?? new Map(),
    inherit: space.env,
    internalAddresses: space.internalAddresses,
    telemetry: space.telemetry?.instanceEnv(),
  });
}

/** scripts/set-env: stored for the app's next start (restart, push, the space's next start); running instances keep theirs. */
export function setAppEnvironment(space: Space, name: string, vars: Record<string, string>): void {
  if (!space.manifest?.apps.some((candidate) => candidate.name === name))
    throw new ManifestError(
      `space ${space.name} runs no app ${name} (its apps: ${space.manifest?.apps.map((other) => other.name).join(', ')})`,
    );
  updateSettings(space.dataDir, (settings) => {
    settings.env[name] = { ...settings.env[name], ...vars };
  });
}
