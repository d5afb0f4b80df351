import { PlatformError } from '../manifest/errors';
import { guid } from './bindings';
import { internalReferences } from './internal-routes';
import { releasesInUse } from './release-steps';
import type { ReleaseRecord } from './releases';
import { checkBindings, exclusive, rollOut, type PushResult } from './rolling-push';
import type { Space } from './space';

/** What GET /releases answers: the releases kept, newest first, and the one the space serves. */
export function releasesOf(space: Space): { releases: Array<Omit<ReleaseRecord, 'vars'> & { current: boolean }>; current?: string } {
  const current = space.release?.id;
  return {
    releases: (space.releases?.list() ?? []).map(({ vars: _vars, ...release }) => ({ ...release, current: release.id === current })),
    ...(current ? { current } : {}),
  };
}

/**
 * Back to a kept release: its manifest read again from its droplet with the vars it ran
 * with, and every app replaced by a rolling replacement from that droplet (the push's own,
 * so no request fails). No release task runs: the release ran its own when it was pushed,
 * as Heroku's rollback and cf rollback run none. The release becomes the current one.
 */
export async function rollBackTo(space: Space, id: string): Promise<PushResult & { from?: string }> {
  return exclusive(space, async () => {
    const started = Date.now();
    const store = space.releases;
    const release = store?.get(id);
    if (!store || !release)
      throw new PlatformError(
        `space ${space.name} keeps no release ${id} (its releases: ${(store?.list() ?? []).map((r) => r.id).join(', ') || 'none'})`,
      );
    const port = space.router?.port ?? 0;
    const manifest = store.manifestOf(release, { router_port: port, public_url: `http://127.0.0.1:${port}` });
    checkBindings(space, manifest);
    internalReferences(manifest);
    const from = space.release?.id;
    space.say(`rollback: ${from ?? 'the running release'} -> ${release.id}`);
    const result = await rollOut(space, manifest, manifest.apps, guid(`${space.name}/rollback/${Date.now()}`), release.version, started);
    space.release = release;
    store.prune(releasesInUse(space));
    return { ...result, release: release.id, ...(from ? { from } : {}), ms: Date.now() - started };
  });
}
