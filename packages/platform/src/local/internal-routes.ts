import { ManifestError } from '../manifest/errors';
import { INTERNAL_DOMAIN, type Manifest } from '../manifest/types';

/**
 * The port an app listens on inside its container on Cloud Foundry, so the one a caller
 * writes after an internal host (`http://users.apps.internal:8080`) and the one its network
 * policy opens (`cf add-network-policy tokens users --port 8080`).
 */
export const APP_PORT = 8080;

/** An app's env value that names an internal route's host: the app is that route's caller. */
export interface InternalReference {
  /** The calling app. */
  app: string;
  variable: string;
  host: string;
  /** The app the route belongs to. */
  destination: string;
}

const INTERNAL_HOST = new RegExp(
  `([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\\.${INTERNAL_DOMAIN.replaceAll('.', '\\.')})(:\\d+)?`,
  'gi',
);

/**
 * Every env value of the manifest that names a host on the internal domain, checked: the
 * host must be a route of an app of the manifest, and followed by :8080 (without it, or
 * with another port, the call would find nothing listening on Cloud Foundry). A bad one is
 * a ManifestError naming the app and the variable.
 */
export function internalReferences(manifest: Manifest): InternalReference[] {
  const owners = new Map(
    manifest.apps.flatMap((app) => app.routes.filter((route) => route.internal).map((route) => [route.host, app.name] as const)),
  );
  const references: InternalReference[] = [];
  for (const app of manifest.apps) {
    for (const [variable, value] of Object.entries(app.env)) {
      for (const match of value.matchAll(INTERNAL_HOST)) {
        const host = (match[1] as string).toLowerCase();
        const destination = owners.get(host);
        const where = `${manifest.file}: app ${app.name}: env ${variable}`;
        if (destination === undefined)
          throw new ManifestError(`${where} names ${host}, which is no app's route (add "- route: ${host}" to the app it should reach)`);
        if (match[2] !== `:${APP_PORT}`)
          throw new ManifestError(
            `${where} names ${host} ${match[2] ? `with port ${match[2].slice(1)}` : 'without a port'}: an internal route reaches the app's own port, ${host}:${APP_PORT}`,
          );
        references.push({ app: app.name, variable, host, destination });
      }
    }
  }
  return references;
}

/**
 * What the space's DNS does for an instance: `host.apps.internal:8080` in an env value
 * becomes the 127.0.0.1 port of that route's internal listener (router.ts listenInternal).
 */
export function resolveInternalHosts(env: Record<string, string>, addresses: ReadonlyMap<string, number>): Record<string, string> {
  if (addresses.size === 0) return env;
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    resolved[name] = value.replace(INTERNAL_HOST, (whole, host: string, port: string | undefined) => {
      const local = addresses.get(host.toLowerCase());
      return local !== undefined && port === `:${APP_PORT}` ? `127.0.0.1:${local}` : whole;
    });
  }
  return resolved;
}
