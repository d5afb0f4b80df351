import { ManifestError, PlatformError } from '../manifest/errors';
import type { AppSpec, ProcessSpec } from '../manifest/types';
import { exclusive, newPushId, placeInstance, removeInstance, replaceApp, slotsOf } from './replace';
import { appWithSettings, readSettings, updateSettings } from './settings';
import { slotKey, type Space } from './space';

/** What a restart or a scale did: one entry per instance started or stopped. */
export interface RollResult {
  steps: Array<{ app: string; process: string; index: number; from?: number; to?: number }>;
  ms: number;
}

export interface ScaleRequest {
  app: string;
  /** Default web. */
  process?: string;
  instances?: number;
  memoryMb?: number;
}

function appOf(space: Space, name: string): AppSpec {
  const app = space.manifest?.apps.find((candidate) => candidate.name === name);
  if (!app)
    throw new ManifestError(
      `space ${space.name} runs no app ${name} (its apps: ${space.manifest?.apps.map((other) => other.name).join(', ')})`,
    );
  return app;
}

/**
 * Every instance of one process replaced in turn by one of `app`'s spec (its env, memory), and
 * the instances past the spec's count stopped: rolling, so the app keeps serving.
 */
async function roll(
  space: Space,
  app: AppSpec,
  process: ProcessSpec,
  pushId: string,
  why: string,
  steps: RollResult['steps'],
): Promise<void> {
  const count = Math.max(process.instances, ...slotsOf(space, app.name, process.type).map((slot) => slot.index + 1));
  for (let index = 0; index < count; index += 1) {
    const from = space.slots.get(slotKey(app.name, process.type, index))?.instance.port;
    if (index >= process.instances) {
      await removeInstance(space, app.name, process.type, index);
      steps.push({ app: app.name, process: process.type, index, from });
      continue;
    }
    const fresh = await placeInstance(space, app, process, index, pushId, why);
    steps.push({ app: app.name, process: process.type, index, from, to: fresh.port });
  }
}

/**
 * scripts/restart: every instance of the app (of every app) replaced, rolling, by one that
 * reads its environment afresh: the variables scripts/set-env stored take effect here.
 */
export function restartApps(space: Space, name?: string): Promise<RollResult> {
  return exclusive(space, 'restart', async () => {
    const started = Date.now();
    const names = name === undefined ? (space.manifest?.apps.map((app) => app.name) ?? []) : [appOf(space, name).name];
    const settings = readSettings(space.dataDir);
    const pushId = newPushId(space, 'restart');
    const steps: RollResult['steps'] = [];
    space.say(`restart: ${names.join(', ')}`);
    for (const appName of names) {
      const app = appWithSettings(appOf(space, appName), settings);
      for (const process of app.processes) await roll(space, app, process, pushId, 'restarted', steps);
      replaceApp(space, app);
    }
    return { steps, ms: Date.now() - started };
  });
}

/**
 * scripts/scale, live. -i: instances added (each ready before it takes requests) or removed
 * (each out of rotation and drained before it stops), the others untouched. -m: a rolling
 * restart at the new limit (as cf scale -m restarts the app). Kept in the space's settings,
 * so a restart of the space or a push keeps the scale.
 */
export function scaleApp(space: Space, request: ScaleRequest): Promise<RollResult> {
  return exclusive(space, 'scale', async () => {
    const started = Date.now();
    const app = appOf(space, request.app);
    const type = request.process ?? 'web';
    const process = app.processes.find((candidate) => candidate.type === type);
    if (!process)
      throw new ManifestError(`${app.name} has no process ${type} (its processes: ${app.processes.map((other) => other.type).join(', ')})`);
    if (request.instances === undefined && request.memoryMb === undefined)
      throw new PlatformError('nothing to scale: give instances, memory or both');
    const settings = updateSettings(space.dataDir, (current) => {
      const key = `${app.name}/${type}`;
      current.scale[key] = {
        ...current.scale[key],
        ...(request.instances === undefined ? {} : { instances: request.instances }),
        ...(request.memoryMb === undefined ? {} : { memoryMb: request.memoryMb }),
      };
    });
    const steps: RollResult['steps'] = [];
    const pushId = slotsOf(space, app.name, type)[0]?.pushId ?? newPushId(space, 'scale');
    if (request.memoryMb !== undefined) {
      const fresh = appWithSettings(app, settings);
      const freshProcess = fresh.processes.find((candidate) => candidate.type === type) as ProcessSpec;
      space.say(`scale: ${app.name} ${type} to ${freshProcess.instances} x ${freshProcess.memoryMb}M, rolling`);
      await roll(space, fresh, freshProcess, newPushId(space, 'scale'), 'scaled', steps);
      replaceApp(space, fresh);
      return { steps, ms: Date.now() - started };
    }
    // Instances only: the running instances keep their spec (and environment); new ones start from the app as it runs.
    const instances = request.instances ?? process.instances;
    const scaled: AppSpec = {
      ...app,
      processes: app.processes.map((candidate) => (candidate.type === type ? { ...candidate, instances } : candidate)),
    };
    const scaledProcess = scaled.processes.find((candidate) => candidate.type === type) as ProcessSpec;
    space.say(`scale: ${app.name} ${type} to ${instances} instance${instances === 1 ? '' : 's'}`);
    const current = slotsOf(space, app.name, type);
    for (let index = 0; index < instances; index += 1) {
      if (space.slots.has(slotKey(app.name, type, index))) continue;
      const fresh = await placeInstance(space, scaled, scaledProcess, index, pushId, 'scaled up');
      steps.push({ app: app.name, process: type, index, to: fresh.port });
    }
    for (const slot of current.reverse()) {
      if (slot.index < instances) continue;
      const from = slot.instance.port;
      await removeInstance(space, app.name, type, slot.index);
      steps.push({ app: app.name, process: type, index: slot.index, from });
    }
    replaceApp(space, scaled);
    return { steps, ms: Date.now() - started };
  });
}
