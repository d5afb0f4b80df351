import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalogue } from './bindings';

/**
 * The services scripts/create-service made in a space that the marketplace file does not
 * list: .local/<space>/services.json, read by provisioning too (provision.ts), so a space
 * binds them after a restart. A leaf: services.ts writes it, provision.ts reads it.
 */
export const createdServicesPath = (dataDir: string): string => join(dataDir, 'services.json');

export function readCreatedServices(dataDir: string): Catalogue {
  const file = createdServicesPath(dataDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Catalogue) : {};
}
