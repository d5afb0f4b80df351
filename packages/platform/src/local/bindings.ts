import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ManifestError } from '../manifest/errors';
import type { Manifest } from '../manifest/types';

/** One binding exactly as Cloud Foundry writes it into VCAP_SERVICES. */
export interface VcapBinding {
  name: string;
  binding_guid: string;
  binding_name: string | null;
  instance_guid: string;
  instance_name: string;
  label: string;
  tags: string[];
  plan?: string;
  credentials: Record<string, unknown>;
  syslog_drain_url: string | null;
  volume_mounts: unknown[];
}

export type VcapServices = Record<string, VcapBinding[]>;

/** `generate` lists credentials made once per space: a list (random text) or a map of name to kind. */
export type CatalogueEntry =
  | { type: 'redis' }
  | { type: 'postgres' }
  | { type: 'user-provided'; credentials?: Record<string, string>; generate?: string[] | Record<string, 'random' | 'ec-p256-pkcs8'> };

/** A generated credential: random text, or a private key as the tokens app takes it (PEM PKCS8). */
function generated(kind: string): string {
  if (kind === 'ec-p256-pkcs8')
    return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return randomBytes(24).toString('base64url');
}
export type Catalogue = Record<string, CatalogueEntry>;

/** Reads the marketplace file (packages/platform/services.yml). */
export function readCatalogue(file: string): Catalogue {
  const parsed: unknown = parse(readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new ManifestError(`${file}: expected a map of service names`);
  return parsed as Catalogue;
}

/**
 * Reads a services file: VCAP_SERVICES as JSON (what `cf env` prints), for bindings the
 * platform should pass on as they are (a shared Redis, a real mail service...).
 */
export function readServicesFile(file: string): VcapBinding[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ManifestError(`SERVICES_FILE ${file}: expected VCAP_SERVICES JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ManifestError(`SERVICES_FILE ${file}: expected an object keyed by service label`);
  return Object.values(parsed as Record<string, VcapBinding[]>).flat();
}

/** Every service the manifest names must be provided, or nothing starts. */
export function assertServicesProvided(manifest: Manifest, provided: Set<string>): void {
  for (const app of manifest.apps) {
    for (const service of app.services) {
      if (!provided.has(service)) {
        throw new ManifestError(
          `${manifest.file}: app ${app.name} binds service "${service}", which no binding provides (the local platform knows: ${[...provided].sort().join(', ')}; add it to packages/platform/services.yml or a SERVICES_FILE)`,
        );
      }
    }
  }
}

/** Redis credentials as a Redis broker gives them: host, port, password when set, and a uri. */
export function redisCredentials(url: string): Record<string, unknown> {
  const parsed = new URL(url);
  const credentials: Record<string, unknown> = { host: parsed.hostname, port: Number(parsed.port || 6379), uri: url };
  if (parsed.password) credentials.password = decodeURIComponent(parsed.password);
  if (parsed.protocol === 'rediss:') credentials.tls_enabled = true;
  return credentials;
}

/** Credentials of user-provided services, generated once per space and kept. */
export function userProvidedCredentials(catalogue: Catalogue, file: string): Record<string, Record<string, string>> {
  const kept: Record<string, Record<string, string>> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>)
    : {};
  let changed = false;
  const result: Record<string, Record<string, string>> = {};
  for (const [name, entry] of Object.entries(catalogue)) {
    if (entry.type !== 'user-provided') continue;
    const credentials = { ...(entry.credentials ?? {}), ...(kept[name] ?? {}) };
    const wanted = Array.isArray(entry.generate)
      ? Object.fromEntries(entry.generate.map((key) => [key, 'random']))
      : (entry.generate ?? {});
    for (const [key, kind] of Object.entries(wanted)) {
      if (credentials[key] === undefined) {
        credentials[key] = generated(kind);
        changed = true;
      }
    }
    result[name] = credentials;
  }
  if (changed) writeFileSync(file, `${JSON.stringify({ ...kept, ...result }, null, 2)}\n`, { mode: 0o600 });
  return result;
}

/** A stable GUID from text, so a binding keeps its ids across restarts of a space. */
export function guid(text: string): string {
  const hex = createHash('sha1').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function binding(
  space: string,
  name: string,
  label: string,
  credentials: Record<string, unknown>,
  extra: { tags?: string[]; plan?: string } = {},
): VcapBinding {
  return {
    name,
    binding_guid: guid(`${space}/${name}/binding`),
    binding_name: null,
    instance_guid: guid(`${space}/${name}`),
    instance_name: name,
    label,
    tags: extra.tags ?? [],
    ...(extra.plan ? { plan: extra.plan } : {}),
    credentials,
    syslog_drain_url: null,
    volume_mounts: [],
  };
}

/** VCAP_SERVICES for one app: its bindings grouped by label, as Cloud Foundry groups them. */
export function vcapServicesFor(services: string[], bindings: Map<string, VcapBinding>): VcapServices {
  const vcap: VcapServices = {};
  for (const name of services) {
    const found = bindings.get(name);
    if (found) vcap[found.label] = [...(vcap[found.label] ?? []), found];
  }
  return vcap;
}
