import { ManifestError, PlatformError } from '../manifest/errors';
import type { Vars } from '../manifest/vars';
import { internalReferences } from './internal-routes';
import { guid } from './bindings';
import { STOP_GRACE_MS, type Instance } from './instance';
import { slotKey, type Space } from './space';

export interface PushRequest {
  /** The release being pushed: the manifest's ((version)), so APP_VERSION. */
  version?: string;
  /** More ((vars)), like `cf push --var`. */
  vars?: Vars;
  /** Only these apps (default: every app in the manifest, in its order). */
  apps?: string[];
}

export interface PushResult {
  version: string | undefined;
  apps: string[];
  /** One entry per replaced, added or removed instance. */
  steps: Array<{ app: string; process: string; index: number; from?: number; to?: number }>;
  ms: number;
}

/**
 * `cf push --strategy rolling` on a running space: the manifest is read again (with the
 * new version), then for every app and process, one index at a time: start the new
 * instance, wait for /ready, put it into rotation, take the old one out, wait until no
 * request is on its way to it, and stop it (SIGTERM, SIGKILL after 10 s). A new instance
 * that does not become ready stops the push: it is stopped, and the old instances
 * (and apps already pushed) keep serving.
 */
export async function rollingPush(space: Space, request: PushRequest = {}): Promise<PushResult> {
  const started = Date.now();
  const router = space.router;
  if (!router || !space.manifest || space.stopping) throw new PlatformError(`space ${space.name} is not running`);
  if (space.pushing) throw new PlatformError(`a push to space ${space.name} is already running`);
  space.pushing = true;
  try {
    const extra: Vars = { ...(request.vars ?? {}), ...(request.version ? { version: request.version } : {}) };
    const manifest = space.readManifest(space.localVars(space.fileVars(), router.port, extra));
    const unknown = (request.apps ?? []).filter((name) => !manifest.apps.some((app) => app.name === name));
    if (unknown.length > 0) throw new ManifestError(`${manifest.file}: no app named ${unknown.join(', ')}`);
    const bound = space.provisioned?.bindings ?? new Map();
    for (const app of manifest.apps) {
      const missing = app.services.find((service) => !bound.has(service));
      if (missing)
        throw new ManifestError(
          `${manifest.file}: app ${app.name} binds "${missing}", which the running space does not provide (restart the space)`,
        );
    }
    internalReferences(manifest);
    await space.openInternalRoutes(manifest);
    const apps = manifest.apps.filter((app) => !request.apps || request.apps.includes(app.name));
    const pushId = guid(`${space.name}/push/${Date.now()}`);
    const steps: PushResult['steps'] = [];
    space.say(`push: ${apps.map((app) => app.name).join(', ')}${request.version ? ` at version ${request.version}` : ''}`);

    for (const app of apps) {
      // The release's task first (its migrations): when it fails, nothing of this release starts.
      try {
        await space.releaseTask(app, pushId);
      } catch (error) {
        throw new PlatformError(`push stopped: ${(error as Error).message}; the running instances keep serving`);
      }
      for (const process of app.processes) {
        const current = [...space.slots.values()].filter((slot) => slot.app.name === app.name && slot.process.type === process.type);
        const count = Math.max(process.instances, ...current.map((slot) => slot.index + 1));
        for (let index = 0; index < count; index += 1) {
          const key = slotKey(app.name, process.type, index);
          const old = space.slots.get(key);
          if (old) clearTimeout(old.timer);
          if (index >= process.instances) {
            space.slots.delete(key);
            if (old) await retire(space, old.instance);
            steps.push({ app: app.name, process: process.type, index, from: old?.instance.port });
            continue;
          }
          const fresh = await space.spawn(app, process, index, pushId);
          try {
            await fresh.waitUntilReady();
          } catch (error) {
            await fresh.stop(1000);
            throw new PlatformError(`push stopped: ${(error as Error).message}; the running instances keep serving`);
          }
          space.routable.add(fresh);
          // The slot changes hands before the old instance stops, so its exit is no crash.
          space.slots.set(key, { app, process, index, pushId, instance: fresh, crashes: 0, restarts: 0 });
          space.event(fresh, `pushed: ready on port ${fresh.port}${old ? `, replacing port ${old.instance.port}` : ''}`);
          if (old) await retire(space, old.instance);
          steps.push({ app: app.name, process: process.type, index, from: old?.instance.port, to: fresh.port });
        }
      }
    }
    const pushed = new Set(apps.map((app) => app.name));
    // Apps left out of this push keep what they run; the others take the new spec.
    const before = space.manifest?.apps ?? [];
    space.manifest = {
      file: manifest.file,
      apps: manifest.apps.map((app) => (pushed.has(app.name) ? app : (before.find((other) => other.name === app.name) ?? app))),
    };
    space.applyRoutes(space.manifest);
    const ms = Date.now() - started;
    space.say(`push: done in ${(ms / 1000).toFixed(1)} s (${steps.length} instances)`);
    return { version: request.version, apps: [...pushed], steps, ms };
  } finally {
    space.pushing = false;
  }
}

/**
 * Out of rotation first, then (once nothing is in flight to it, at most 10 s) stopped:
 * it gets SIGTERM only when the router sends it nothing more, and no pooled keep-alive
 * connection to it is left for a request to be written to while it closes.
 */
async function retire(space: Space, instance: Instance): Promise<void> {
  space.takeOut(instance);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([space.router?.waitIdle(instance.id), new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
  clearTimeout(timer);
  // The connections of the requests that just finished went back to the pool.
  space.router?.forget(instance.port);
  await instance.stop(STOP_GRACE_MS);
}
