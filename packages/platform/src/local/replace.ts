import { PlatformError } from '../manifest/errors';
import type { AppSpec, ProcessSpec } from '../manifest/types';
import { guid } from './bindings';
import { STOP_GRACE_MS, type Instance } from './instance';
import { slotKey, type Slot, type Space } from './space';

/**
 * The rolling steps the day-two verbs share (restart, scale): one instance position at a time,
 * the new instance ready and in rotation before the old one leaves, so no request fails.
 */

/** Runs `work` alone: a push, restart or scale waits for none and refuses while another runs. */
export async function exclusive<T>(space: Space, what: string, work: () => Promise<T>): Promise<T> {
  if (!space.router || !space.manifest || space.stopping) throw new PlatformError(`space ${space.name} is not running`);
  if (space.pushing) throw new PlatformError(`space ${space.name} is busy with a push, restart or scale: ${what} again once it is done`);
  space.pushing = true;
  try {
    return await work();
  } finally {
    space.pushing = false;
  }
}

/** The slots of one process of an app, by index. */
export function slotsOf(space: Space, app: string, type: string): Slot[] {
  return [...space.slots.values()].filter((slot) => slot.app.name === app && slot.process.type === type).sort((a, b) => a.index - b.index);
}

export const newPushId = (space: Space, what: string): string => guid(`${space.name}/${what}/${Date.now()}/${Math.random()}`);

/**
 * A new instance at `index`, ready and in rotation, replacing what the slot held (retired:
 * out of rotation, drained, stopped). A new one that never gets ready is stopped and the old
 * one keeps serving: the line says so.
 */
export async function placeInstance(
  space: Space,
  app: AppSpec,
  process: ProcessSpec,
  index: number,
  pushId: string,
  why: string,
): Promise<Instance> {
  const key = slotKey(app.name, process.type, index);
  const old = space.slots.get(key);
  if (old) clearTimeout(old.timer);
  const fresh = await space.spawn(app, process, index, pushId);
  try {
    await fresh.waitUntilReady();
  } catch (error) {
    await fresh.stop(1000);
    throw new PlatformError(`${why} stopped: ${(error as Error).message}; the running instances keep serving`);
  }
  space.routable.add(fresh);
  // The slot changes hands before the old instance stops, so its exit is no crash.
  space.slots.set(key, { app, process, index, pushId, instance: fresh, crashes: 0, restarts: 0 });
  space.event(fresh, `${why}: ready on port ${fresh.port}${old ? `, replacing port ${old.instance.port}` : ''}`);
  if (old) await retire(space, old.instance);
  return fresh;
}

/** Empties the slot at `index`: its instance retired, nothing restarts it. */
export async function removeInstance(space: Space, app: string, type: string, index: number): Promise<void> {
  const key = slotKey(app, type, index);
  const old = space.slots.get(key);
  if (!old) return;
  clearTimeout(old.timer);
  space.slots.delete(key);
  await retire(space, old.instance);
}

/**
 * Out of rotation first, then (once nothing is in flight to it, at most 10 s) stopped:
 * it gets SIGTERM only when the router sends it nothing more (as rolling-push.ts does).
 */
export async function retire(space: Space, instance: Instance): Promise<void> {
  space.takeOut(instance);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([space.router?.waitIdle(instance.id), new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
  clearTimeout(timer);
  space.router?.forget(instance.port);
  await instance.stop(STOP_GRACE_MS);
}

/** The space's manifest with `app` in its place (what status, env and the next restart read). */
export function replaceApp(space: Space, app: AppSpec): void {
  if (!space.manifest) return;
  space.manifest = { ...space.manifest, apps: space.manifest.apps.map((other) => (other.name === app.name ? app : other)) };
}
