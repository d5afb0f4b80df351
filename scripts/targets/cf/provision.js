// @ts-check
/**
 * `scripts/provision <space> --target cf`: the space, then every service instance that
 * manifest.yml binds, each checked with `cf service NAME` first:
 *   - service-credentials, token-keys: user-provided services holding generated secrets
 *     (`cf create-user-provided-service NAME -p FILE`: cf reads the JSON from a file, so the
 *     secret is never on a command line);
 *   - a PostgreSQL binding (type postgres in packages/platform/services.yml): an instance of
 *     the offering and plan vars/<space>.yml names (postgres_offering, postgres_plan);
 *   - every other binding: a Redis instance of the offering and plan that vars/<space>.yml
 *     names (redis_offering, redis_plan; `cf marketplace` lists yours), created with --wait
 *     because brokers create asynchronously and a push cannot bind an instance still in progress.
 */
const fs = require('node:fs');
const { readVars, varsFile, manifestFor } = require('../../lib/manifest');
const { serviceKey, signingKey } = require('../../lib/secrets');
const { OTLP_FLAGS, checkOtlp } = require('../../lib/otlp');
const { otelItems } = require('./otel');
const { postgresBindings } = require('../../lib/service-types');

/** @typedef {import('../../lib/provision-items').Item} Item */

/** The user-provided services and the credentials each holds (made fresh for each creation). */
const USER_PROVIDED = {
  'service-credentials': () => ({ key: serviceKey() }),
  'token-keys': () => ({ signing_key: signingKey() }),
};

/** Every service instance the manifest binds, in the order the apps name them. @param {string} space */
function boundServices(space) {
  return [...new Set(manifestFor(space).apps.flatMap((app) => app.services))];
}

/** @param {string} space */
function redisPlan(space) {
  const vars = readVars(space);
  return { offering: vars.redis_offering, plan: vars.redis_plan };
}

/** @param {string} space */
function postgresPlan(space) {
  const vars = readVars(space);
  return { offering: vars.postgres_offering, plan: vars.postgres_plan };
}

/** @type {import('../types').ProvisionTarget} */
const provision = {
  tool: 'cf',
  install: 'install the Cloud Foundry CLI v8 (https://github.com/cloudfoundry/cli#downloads)',
  login: { check: ['cf', 'target'], how: 'cf login -a <api>' },
  flags: OTLP_FLAGS,
  synopsis: '[--otlp-endpoint URL [--otlp-headers K=V,...]]',
  check(space, values) {
    if (!fs.existsSync(varsFile(space))) return `unknown space "${space}": there is no vars/${space}.yml`;
    const otlp = checkOtlp(values);
    if (otlp) return otlp;
    const { offering, plan } = redisPlan(space);
    if (typeof offering !== 'string' || typeof plan !== 'string')
      return `vars/${space}.yml needs redis_offering and redis_plan (the Redis offering and plan of cf marketplace)`;
    const postgres = postgresBindings();
    const pg = postgresPlan(space);
    if (boundServices(space).some((name) => postgres.has(name)) && (typeof pg.offering !== 'string' || typeof pg.plan !== 'string'))
      return `vars/${space}.yml needs postgres_offering and postgres_plan (the PostgreSQL offering and plan of cf marketplace)`;
    return undefined;
  },
  items(space, options = { dryRun: false, values: {} }) {
    const { offering, plan } = redisPlan(space);
    const pg = postgresPlan(space);
    const postgres = postgresBindings();
    /** @type {Item[]} */
    const items = [
      {
        what: `space ${space}`,
        check: ['cf', 'space', space],
        plan: (checked) => (checked.code === 0 ? [] : [{ argv: ['cf', 'create-space', space] }]),
      },
      // Every later check and creation happens in this space.
      { what: `target space ${space}`, check: ['cf', 'target', '-s', space], setup: true, plan: () => [] },
    ];
    for (const name of boundServices(space)) {
      const credentials = /** @type {Record<string, () => Record<string, string>>} */ (USER_PROVIDED)[name];
      const create = credentials
        ? () => {
            const fields = credentials();
            const shown = JSON.stringify(Object.fromEntries(Object.keys(fields).map((field) => [field, '<generated>'])));
            return [
              {
                argv: ['cf', 'create-user-provided-service', name, '-p', '{file}'],
                shown: `cf create-user-provided-service ${name} -p '${shown}'`,
                secretFile: JSON.stringify(fields),
              },
            ];
          }
        : postgres.has(name)
          ? () => [{ argv: ['cf', 'create-service', String(pg.offering), String(pg.plan), name, '--wait'] }]
          : () => [{ argv: ['cf', 'create-service', String(offering), String(plan), name, '--wait'] }];
      items.push({ what: `service ${name}`, check: ['cf', 'service', name], plan: (checked) => (checked.code === 0 ? [] : create()) });
    }
    // With --otlp-endpoint: the otel service, bound to every app (otel.js).
    return [...items, ...otelItems(space, options.values ?? {})];
  },
};

module.exports = provision;
