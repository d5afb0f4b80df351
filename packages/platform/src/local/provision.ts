import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PlatformError } from '../manifest/errors';
import type { Manifest } from '../manifest/types';
import {
  assertServicesProvided,
  binding,
  readCatalogue,
  readServicesFile,
  redisCredentials,
  userProvidedCredentials,
  type VcapBinding,
} from './bindings';
import type { LogRecord } from './logs';
import { findPostgresBin, INSTALL_POSTGRES, PrivatePostgres } from './postgres';
import { INSTALL_REDIS, PrivateRedis } from './redis';
import { readCreatedServices } from './created-services';

export interface Provisioned {
  bindings: Map<string, VcapBinding>;
  /** For people: "private redis-server redis://127.0.0.1:40123 (data in .local/dev/redis)". */
  redis: string;
  /** Its pid now (it changes when the supervisor restarts it). */
  readonly redisPid?: number | undefined;
  /** The Redis behind REDIS_URL when the space's Redis services use it (status checks that it answers). */
  externalRedisUrl?: string | undefined;
  /** The space's own redis-server, supervised (none with REDIS_URL or no Redis service). */
  privateRedis?: PrivateRedis | undefined;
  /** For people: "private postgres 127.0.0.1:40124 (data in .local/dev/postgres)", or none. */
  postgres?: string;
  /** The space's own PostgreSQL, supervised (none with POSTGRES_URL or no PostgreSQL service). */
  privatePostgres?: PrivatePostgres | undefined;
  stop(): Promise<void>;
}

export interface ProvisionOptions {
  manifest: Manifest;
  space: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  catalogueFile: string;
  /** Only check that every binding can be provided (nothing started, nothing written). */
  checkOnly?: boolean;
  /** Where the private Redis's supervision events go. */
  log?: (record: LogRecord) => void;
}

/**
 * The bindings for the services a manifest names. A SERVICES_FILE (VCAP_SERVICES JSON)
 * wins for the names it holds; the rest come from the marketplace file: Redis services
 * from REDIS_URL, else one private redis-server for the space; PostgreSQL services from
 * POSTGRES_URL, else one private PostgreSQL server for the space, a database per binding; user-provided services
 * with credentials kept per space.
 */
export async function provisionBindings(options: ProvisionOptions): Promise<Provisioned> {
  const { manifest, env, space } = options;
  // With the services scripts/create-service made in this space (services.ts): they outlive its restarts.
  const catalogue = { ...readCreatedServices(options.dataDir), ...readCatalogue(options.catalogueFile) };
  const fromFile = new Map<string, VcapBinding>();
  if (env.SERVICES_FILE) for (const found of readServicesFile(env.SERVICES_FILE)) fromFile.set(found.name, found);
  const needed = [...new Set(manifest.apps.flatMap((app) => app.services))];
  assertServicesProvided(manifest, new Set([...Object.keys(catalogue), ...fromFile.keys()]));
  const redisNames = needed.filter((name) => !fromFile.has(name) && catalogue[name]?.type === 'redis');
  const redisUrl = env.REDIS_URL;
  const postgresNames = needed.filter((name) => !fromFile.has(name) && catalogue[name]?.type === 'postgres');
  const postgresUrl = env.POSTGRES_URL;
  if (options.checkOnly) {
    if (redisNames.length > 0 && !redisUrl && !onPath('redis-server', env.PATH)) throw new PlatformError(INSTALL_REDIS);
    if (postgresNames.length > 0 && !postgresUrl && !findPostgresBin(env.PATH)) throw new PlatformError(INSTALL_POSTGRES);
    return { bindings: new Map(), redis: '', stop: async () => undefined };
  }

  let redis: PrivateRedis | undefined;
  let description = 'none (no Redis service bound)';
  let url = redisUrl;
  if (redisNames.length > 0 && !url) {
    const dir = join(options.dataDir, 'redis');
    redis = await PrivateRedis.start(dir, options.log);
    url = redis.appUrl;
    description = `private redis-server ${redis.url} (data in ${dir}, append-only, password and ACL in redis-credentials.json)`;
  } else if (redisNames.length > 0) {
    description = `REDIS_URL ${redactUrl(url ?? '')}`;
  }

  mkdirSync(options.dataDir, { recursive: true });
  let postgres: PrivatePostgres | undefined;
  let postgresDescription = 'none (no PostgreSQL service bound)';
  if (postgresNames.length > 0 && !postgresUrl) {
    const dir = join(options.dataDir, 'postgres');
    try {
      postgres = await PrivatePostgres.start(dir, postgresNames, options.log);
    } catch (error) {
      await redis?.stop();
      throw error;
    }
    postgresDescription = `private postgres 127.0.0.1:${postgres.port} (data in ${dir}, password in ${join(dir, 'password')})`;
  } else if (postgresNames.length > 0) {
    postgresDescription = `POSTGRES_URL ${redactUrl(postgresUrl ?? '', 'POSTGRES_URL')}`;
  }
  const userProvided = needed.some((name) => catalogue[name]?.type === 'user-provided' && !fromFile.has(name))
    ? userProvidedCredentials(catalogue, join(options.dataDir, 'credentials.json'))
    : {};
  const bindings = new Map<string, VcapBinding>();
  for (const name of needed) {
    const entry = catalogue[name];
    if (fromFile.has(name)) bindings.set(name, fromFile.get(name) as VcapBinding);
    else if (entry?.type === 'postgres')
      bindings.set(
        name,
        binding(space, name, 'postgresql', postgres ? postgres.credentials(name) : { uri: postgresUrl ?? '' }, {
          tags: ['postgresql', 'relational'],
          plan: 'local',
        }),
      );
    else if (entry?.type === 'redis')
      bindings.set(name, binding(space, name, 'redis', redisCredentials(url ?? ''), { tags: ['redis', 'key-value'], plan: 'local' }));
    else bindings.set(name, binding(space, name, 'user-provided', userProvided[name] ?? {}));
  }
  return {
    bindings,
    redis: description,
    externalRedisUrl: redisNames.length > 0 && !redis ? url : undefined,
    privateRedis: redis,
    postgres: postgresDescription,
    privatePostgres: postgres,
    get redisPid() {
      return redis?.pid;
    },
    stop: async () => {
      await postgres?.stop();
      await redis?.stop();
    },
  };
}

function onPath(command: string, path: string | undefined): boolean {
  return (path ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)));
}

function redactUrl(url: string, variable = 'REDIS_URL'): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return variable;
  }
}
