import type { RouteTarget } from './types';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * The routes as the router looks them up: by host, then the longest matching path prefix.
 * Immutable: setRoutes builds a new table and swaps it in, so a request never sees a
 * table half rebuilt (a push changing routes while requests come).
 */
export class RouteTable {
  private readonly byHost = new Map<string, RouteTarget[]>();
  private readonly internal = new Map<string, RouteTarget>();

  /** `defaultHost`: what requests for localhost / 127.0.0.1 (or no Host) mean. */
  constructor(
    routes: readonly RouteTarget[],
    readonly defaultHost: string,
  ) {
    for (const route of routes) {
      if (route.internal) this.internal.set(route.host, route);
      else this.byHost.set(route.host, [...(this.byHost.get(route.host) ?? []), route]);
    }
    for (const list of this.byHost.values()) list.sort((a, b) => b.path.length - a.path.length);
  }

  /** The route for a request; `internalHost` when it came on that internal route's own listener. */
  match(hostHeader: string | undefined, url: string | undefined, internalHost?: string): RouteTarget | undefined {
    if (internalHost !== undefined) return this.internal.get(internalHost);
    let host = (hostHeader ?? '').toLowerCase().replace(/:\d+$/, '');
    if (LOCAL_HOSTS.has(host) || host === '') host = this.defaultHost;
    const path = (url ?? '/').split('?')[0] ?? '/';
    return this.byHost.get(host)?.find((route) => route.path === '' || path === route.path || path.startsWith(`${route.path}/`));
  }
}
