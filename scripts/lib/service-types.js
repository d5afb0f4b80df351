// @ts-check
/**
 * Which bindings are PostgreSQL: those packages/platform/services.yml (the marketplace every
 * target reads, the local platform's own) gives `type: postgres`. Every other binding that is
 * not user-provided is a Redis. Provisioning creates each kind from its own offering and plan.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./run');
const { parseYamlFile } = require('./project-files');

/** @param {string} [root] @returns {Set<string>} */
function postgresBindings(root = ROOT) {
  const file = path.join(root, 'packages', 'platform', 'services.yml');
  if (!fs.existsSync(file)) return new Set();
  /** @type {Record<string, { type?: string }> | null} */
  const catalogue = parseYamlFile(file);
  return new Set(Object.entries(catalogue ?? {}).flatMap(([name, entry]) => (entry?.type === 'postgres' ? [name] : [])));
}

module.exports = { postgresBindings };
