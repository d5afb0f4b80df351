// @ts-check
/**
 * The network policies a space needs on Cloud Foundry (`cf add-network-policy SOURCE
 * DESTINATION --port 8080`): one for each app whose env names another app's internal route
 * (host.apps.internal:8080). Which references there are is the platform's rule
 * (packages/platform/src/local/internal-routes.ts, the one the local platform resolves
 * internal hosts by): it also refuses a host that is no app's route, or a port other than
 * the app's own, in one line.
 */
const { manifestFor, orFail } = require('../../lib/manifest');
const { platform } = require('../../lib/platform');

/** @param {string} space @returns {{ source: string, destination: string, port: number }[]} */
function networkPolicies(space) {
  const manifest = manifestFor(space);
  const { internalReferences, APP_PORT } = platform('local/internal-routes');
  /** @type {{ app: string, destination: string }[]} */
  const references = orFail(() => internalReferences(manifest));
  /** @type {Map<string, { source: string, destination: string, port: number }>} */
  const policies = new Map();
  for (const { app, destination } of references)
    if (destination !== app) policies.set(`${app} ${destination}`, { source: app, destination, port: APP_PORT });
  return [...policies.values()];
}

module.exports = { networkPolicies };
