import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlatformError } from '../manifest/errors';
import { binding, readCatalogue, readServicesFile, redisCredentials, userProvidedCredentials, type Catalogue } from './bindings';
import { createdServicesPath, readCreatedServices } from './created-services';
import { logTime } from './logs';
import type { Space } from './space';

/**
 * Service instances made by scripts/create-service (or by a push that binds a service of the
 * marketplace the running space does not provide yet): a binding the running space provides
 * from then on, without a restart. One the marketplace file (services.yml) does not list is
 * kept in .local/<space>/services.json (created-services.ts), which provisioning reads too, so
 * it outlives a restart.
 */
export function catalogueFile(space: Space): string {
  return space.options.catalogueFile ?? join(space.options.root, 'packages', 'platform', 'services.yml');
}

/** The marketplace file, and the services created in this space beside it. */
export function spaceCatalogue(space: Space): Catalogue {
  return { ...readCreatedServices(space.dataDir), ...readCatalogue(catalogueFile(space)) };
}

export type CreateResult = 'created' | 'exists' | 'unknown';

/**
 * Makes `name` a binding of the running space. `knownOnly` (a push): only a service of the
 * marketplace (or created before) is made, anything else answers 'unknown'; otherwise an
 * unknown name is a Redis, the local marketplace's offering (cf create-service's offering
 * and plan are the vars file's; here there is one Redis per space).
 */
export function createService(space: Space, name: string, options: { knownOnly?: boolean } = {}): CreateResult {
  const provisioned = space.provisioned;
  if (!provisioned || space.stopping) throw new PlatformError(`space ${space.name} is not running`);
  if (provisioned.bindings.has(name)) return 'exists';
  const fromFile = space.env.SERVICES_FILE ? readServicesFile(space.env.SERVICES_FILE).find((found) => found.name === name) : undefined;
  const catalogue = spaceCatalogue(space);
  let entry = catalogue[name];
  if (!fromFile && !entry) {
    if (options.knownOnly) return 'unknown';
    entry = { type: 'redis' };
    const created = readCreatedServices(space.dataDir);
    mkdirSync(space.dataDir, { recursive: true });
    writeFileSync(createdServicesPath(space.dataDir), `${JSON.stringify({ ...created, [name]: entry }, null, 2)}\n`);
  }
  if (fromFile) provisioned.bindings.set(name, fromFile);
  else if (entry?.type === 'redis') {
    const url = provisioned.privateRedis?.url ?? provisioned.externalRedisUrl ?? space.env.REDIS_URL;
    if (!url)
      throw new PlatformError(
        `space ${space.name} runs no Redis (none of its apps bound one when it started): restart it to bind ${name} (scripts/stop ${space.name}, then scripts/start ${space.name})`,
      );
    provisioned.bindings.set(
      name,
      binding(space.name, name, 'redis', redisCredentials(url), { tags: ['redis', 'key-value'], plan: 'local' }),
    );
  } else {
    const credentials = userProvidedCredentials(catalogue, join(space.dataDir, 'credentials.json'));
    provisioned.bindings.set(name, binding(space.name, name, 'user-provided', credentials[name] ?? {}));
  }
  space.log({ time: logTime(), app: '-', source: 'API/0', stream: 'OUT', line: `service ${name} created: the space binds it from now on` });
  return 'created';
}
