// @ts-check
/**
 * `scripts/provision <space> --target heroku`: what docs/heroku.md sets up, in an order
 * that works, each item checked first:
 *   1. the space's apps (heroku.json), `heroku apps:create NAME --no-remote`;
 *   2. the pipeline, after the apps (pipelines:create needs an app), then each app in it
 *      at the space's stage;
 *   3. one Redis add-on per space (heroku.json redis_plan), created on the first app (as
 *      REDIS_URL) and attached to every app under each Redis binding the manifest gives it
 *      (--as USERS_DB sets USERS_DB_URL, which the kit reads before REDIS_URL): the event bus
 *      must be one Redis for all apps, and each app's keys stay its own;
 *   3b. a Heroku Postgres add-on (heroku.json postgres_plan) for each app with a PostgreSQL
 *      binding (type postgres in packages/platform/services.yml), its own, attached as
 *      DATABASE (DATABASE_URL, which the kit reads; TLS without certificate checks, as Heroku
 *      documents): an app's relational data is no other app's;
 *   4. config vars that are missing (never overwritten: a second run rotates no key):
 *      PROCFILE, NODE_ENV, NODE_OPTIONS, TOKEN_ISSUER/AUDIENCE, JWKS_URL and USERS_URL (the
 *      apps' own web URLs), a generated SERVICE_KEY shared by users and tokens, a generated
 *      TOKEN_SIGNING_KEY for tokens, REDIS_TLS_REJECT_UNAUTHORIZED=false where an app has a
 *      Redis (Heroku Redis presents a self-signed certificate);
 *   5. buildpacks: multi-procfile (picks heroku/<app>.Procfile by PROCFILE), then heroku/nodejs;
 *   6. the space's gateway (heroku.json "gateway", scripts/gateway): created with the apps and in
 *      their pipeline, its config vars the web URL of each app it routes to (<APP>_URL), its one
 *      buildpack heroku-community/nginx. users and tokens then trust three X-Forwarded-For
 *      hops (TRUSTED_PROXY_HOPS=3): Heroku's router in front of the gateway appends the client,
 *      the gateway the router it saw, the router in front of the app the gateway.
 * On Fir (heroku.json "generation": "fir") the apps are created in the Fir private space
 * heroku.json "space" names, with no PROCFILE and no buildpacks (each app's source carries
 * its Procfile and a project.toml naming its CNBs: fir-build.js); the gateway stays a Cedar
 * app of the Common Runtime, outside the Fir pipeline.
 */
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { readVars, varsFile, manifestFor } = require('../../lib/manifest');
const { CONFIG, readConfig, appsOf, gatewayOf, generationOf, webUrl } = require('./apps');
const { gatewayRoutes } = require('./gateway/routes');
const { routedApps, upstreamVar } = require('./gateway/config');
const { ROOT } = require('../../lib/run');
const { serviceKey, signingKey } = require('../../lib/secrets');
const { OTLP_FLAGS, checkOtlp } = require('../../lib/otlp');
const { otelItems } = require('./otel');
const { postgresBindings } = require('../../lib/service-types');

/** @typedef {import('../../lib/provision-items').Item} Item */
/** @typedef {import('../../lib/provision-items').ProvisionStep} ProvisionStep */

const BUILDPACKS = ['https://github.com/heroku/heroku-buildpack-multi-procfile', 'heroku/nodejs'];
/** The gateway's: Heroku's nginx buildpack, the last (and only) one, as its README asks. */
const GATEWAY_BUILDPACKS = ['heroku-community/nginx'];
/**
 * X-Forwarded-For entries appended by proxies in front of users and tokens on Heroku: the
 * router in front of the gateway (the client), the gateway (that router), the router in
 * front of the app (the gateway). packages/kit/README.md says how the kit reads them.
 */
const TRUSTED_PROXY_HOPS = 3;
const USER_PROVIDED = ['service-credentials', 'token-keys'];
/** The heap cap fits a 512 MB dyno (the manifest's 80 fits 128M): V8 sizes its heap from the machine. */
const NODE_OPTIONS = '--max-old-space-size=384';

/** Each app's Redis bindings: its services in manifest.yml that are neither user-provided nor PostgreSQL. @param {string} space */
function redisBindings(space) {
  const postgres = postgresBindings();
  return Object.fromEntries(
    manifestFor(space).apps.map((app) => [app.name, app.services.filter((name) => !USER_PROVIDED.includes(name) && !postgres.has(name))]),
  );
}

/** Each app's PostgreSQL bindings. @param {string} space */
function postgresOf(space) {
  const postgres = postgresBindings();
  return Object.fromEntries(manifestFor(space).apps.map((app) => [app.name, app.services.filter((name) => postgres.has(name))]));
}

/** USERS_DB for "users-db": the kit reads <BINDING>_URL (packages/kit/src/config/redis-url.ts). */
const attachmentName = (/** @type {string} */ binding) => binding.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/** @param {string} output @returns {Record<string, string>} */
function configOf(output) {
  try {
    const parsed = JSON.parse(output);
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * An app's buildpacks, exactly these in this order (else cleared and added again).
 * @param {string} name @param {string[]} buildpacks @returns {Item}
 */
function buildpacksItem(name, buildpacks) {
  return {
    what: `${name}: buildpacks ${buildpacks.join(', ')}`,
    check: ['heroku', 'buildpacks', '-a', name],
    plan: (checked) => {
      const listed = checked.output.split('\n').map((line) => line.replace(/^\s*\d+\.\s*/, '').trim());
      const inOrder = listed.filter((line) => buildpacks.includes(line));
      if (checked.code === 0 && inOrder.join() === buildpacks.join()) return [];
      return [
        { argv: ['heroku', 'buildpacks:clear', '-a', name] },
        ...buildpacks.map((buildpack) => ({ argv: ['heroku', 'buildpacks:add', '-a', name, buildpack] })),
      ];
    },
  };
}

/** @type {import('../types').ProvisionTarget} */
const provision = {
  tool: 'heroku',
  install: 'install the Heroku CLI (https://devcenter.heroku.com/articles/heroku-cli)',
  login: { check: ['heroku', 'auth:whoami'], how: 'heroku login, or HEROKU_API_KEY' },
  flags: OTLP_FLAGS,
  check(space, values) {
    const otlp = checkOtlp(values);
    if (otlp) return otlp;
    if (!fs.existsSync(CONFIG)) return 'heroku.json is missing: it names the Heroku app of each bundle app per space (docs/heroku.md)';
    if (Object.keys(appsOf(space)).length === 0) return `unknown space "${space}": heroku.json names no apps for it`;
    const generation = generationOf();
    return 'problem' in generation ? generation.problem : undefined;
  },
  items(space, options = { dryRun: false, values: {} }) {
    const config = readConfig();
    const pipeline = String(config.pipeline ?? 'chat');
    const redisPlan = String(config.redis_plan ?? 'heroku-redis:mini');
    const team = typeof config.team === 'string' ? ['--team', config.team] : [];
    const apps = appsOf(space);
    const gateway = gatewayOf(space);
    const generation = generationOf();
    const firSpace = 'space' in generation ? generation.space : undefined;
    // On Fir the gateway (a Cedar app) is not in the apps' pipeline: a pipeline has one generation.
    const names = [...Object.values(apps), ...(gateway && !firSpace ? [gateway] : [])];
    const first = /** @type {string} */ (names[0]);
    const addon = `${pipeline}-redis-${space}`;
    const vars = fs.existsSync(varsFile(space)) ? readVars(space) : {};
    const bindings = redisBindings(space);
    /** A web URL, asked of Heroku on a real run (new apps' hosts carry a random suffix). */
    /** @type {Record<string, string>} */
    const urls = {};
    const urlOf = (/** @type {string} */ app) =>
      options.dryRun ? `<web_url of ${apps[app]}>` : (urls[app] ??= webUrl(/** @type {string} */ (apps[app]), true));
    /** @type {Record<string, string>} */
    const secrets = {};
    /** One SERVICE_KEY for users and tokens: the one either already has, else a new one. */
    const sharedServiceKey = () => {
      if (secrets.SERVICE_KEY) return secrets.SERVICE_KEY;
      for (const app of ['users', 'tokens']) {
        const got =
          options.dryRun || !apps[app]
            ? undefined
            : spawnSync('heroku', ['config:get', 'SERVICE_KEY', '-a', /** @type {string} */ (apps[app])], { encoding: 'utf8' });
        if (got && got.status === 0 && got.stdout.trim().length >= 16) return (secrets.SERVICE_KEY = got.stdout.trim());
      }
      return (secrets.SERVICE_KEY = serviceKey());
    };

    /** @type {Item[]} */
    const items = [...Object.values(apps), ...(gateway ? [gateway] : [])].map((name) => {
      const where = firSpace && name !== gateway ? ['--space', firSpace] : team;
      return {
        what: `app ${name}`,
        check: ['heroku', 'apps:info', '-a', name, '--json'],
        plan: (/** @type {import('../../lib/provision-items').Ran} */ checked) =>
          checked.code === 0 ? [] : [{ argv: ['heroku', 'apps:create', name, '--no-remote', ...where] }],
      };
    });
    items.push({
      what: `pipeline ${pipeline} (${space} stage: ${names.join(', ')})`,
      check: ['heroku', 'pipelines:info', pipeline, '--json'],
      plan: (checked) => {
        const exists = checked.code === 0;
        const missing = names.filter((name) => !exists || !checked.output.includes(`"${name}"`));
        /** @type {ProvisionStep[]} */
        const steps = exists ? [] : [{ argv: ['heroku', 'pipelines:create', pipeline, '-a', first, '--stage', space, ...team] }];
        for (const name of missing.filter((name) => exists || name !== first))
          steps.push({ argv: ['heroku', 'pipelines:add', pipeline, '-a', name, '--stage', space] });
        return steps;
      },
    });
    items.push({
      what: `Redis add-on ${addon}`,
      check: ['heroku', 'addons:info', addon],
      plan: (checked) =>
        checked.code === 0 ? [] : [{ argv: ['heroku', 'addons:create', redisPlan, '-a', first, '--name', addon, '--wait'] }],
    });
    const postgresPlan = String(config.postgres_plan ?? 'heroku-postgresql:essential-0');
    const postgres = postgresOf(space);
    for (const [app, name] of Object.entries(apps)) {
      for (const binding of postgres[app] ?? []) {
        const database = `${pipeline}-${binding}-${space}`;
        items.push({
          what: `${name}: Postgres add-on ${database} as DATABASE_URL`,
          check: ['heroku', 'addons:info', database],
          plan: (checked) =>
            checked.code === 0
              ? []
              : [{ argv: ['heroku', 'addons:create', postgresPlan, '-a', name, '--name', database, '--as', 'DATABASE', '--wait'] }],
        });
      }
      const own = bindings[app] ?? [];
      if (own.length > 0)
        items.push({
          what: `${name}: Redis as ${own.map((binding) => `${attachmentName(binding)}_URL`).join(', ')}`,
          check: ['heroku', 'config', '-a', name, '--json'],
          plan: (checked) =>
            own
              .filter((binding) => !(`${attachmentName(binding)}_URL` in configOf(checked.output)))
              .map((binding) => ({ argv: ['heroku', 'addons:attach', addon, '-a', name, '--as', attachmentName(binding)] })),
        });
      items.push({
        what: `${name}: config vars`,
        check: ['heroku', 'config', '-a', name, '--json'],
        plan: (checked) => {
          const present = configOf(checked.output);
          /** @type {Record<string, () => string>} */
          const wanted = {
            ...(firSpace ? {} : { PROCFILE: () => `heroku/${app}.Procfile` }),
            NODE_ENV: () => 'production',
            NODE_OPTIONS: () => NODE_OPTIONS,
            TOKEN_ISSUER: () => String(vars.token_issuer ?? 'urn:chat:tokens'),
            TOKEN_AUDIENCE: () => String(vars.token_audience ?? 'urn:chat:api'),
            JWKS_URL: () => `${urlOf('tokens').replace(/\/$/, '')}/.well-known/jwks.json`,
            ...(app === 'tokens' ? { USERS_URL: () => urlOf('users').replace(/\/$/, ''), TOKEN_SIGNING_KEY: signingKey } : {}),
            ...(app === 'users' || app === 'tokens' ? { SERVICE_KEY: sharedServiceKey } : {}),
            // Every request on Heroku comes through its router, the tokens app's call to the
            // credentials route included (docs/heroku.md, "Ops routes and the internal route").
            ...(app === 'users'
              ? { INTERNAL_ROUTES_VIA_ROUTER: () => 'true', REGISTRATIONS_PER_ADDRESS: () => String(vars.registrations_per_address ?? 5) }
              : {}),
            ...(app === 'messages' ? { POST_RATE_LIMIT: () => String(vars.post_rate_limit ?? 20) } : {}),
            // Behind the gateway (docs/heroku.md, "Client addresses and limits").
            ...(gateway && (app === 'users' || app === 'tokens') ? { TRUSTED_PROXY_HOPS: () => String(TRUSTED_PROXY_HOPS) } : {}),
            // Heroku Redis is rediss:// with a self-signed certificate: the kit checks it by
            // default, so without this every connection fails its TLS handshake.
            ...(own.length > 0 ? { REDIS_TLS_REJECT_UNAUTHORIZED: () => 'false' } : {}),
          };
          const missing = Object.keys(wanted).filter((key) => !(key in present));
          if (missing.length === 0) return [];
          const secret = (/** @type {string} */ key) => key === 'SERVICE_KEY' || key === 'TOKEN_SIGNING_KEY';
          const values = Object.fromEntries(missing.map((key) => [key, /** @type {() => string} */ (wanted[key])()]));
          const shown = missing.map((key) => `${key}=${secret(key) ? '<generated>' : values[key]}`).join(' ');
          // heroku config:set prints every value it set: the step runs quietly.
          return [
            {
              argv: ['heroku', 'config:set', '-a', name, ...missing.map((key) => `${key}=${values[key]}`)],
              shown: `heroku config:set -a ${name} ${shown}`,
              quiet: true,
            },
          ];
        },
      });
      // Fir: the CNBs come from the project.toml in each app's source (fir-build.js).
      if (!firSpace) items.push(buildpacksItem(name, BUILDPACKS));
    }
    if (gateway) {
      const upstreams = routedApps(gatewayRoutes(ROOT)).filter((app) => apps[app]);
      items.push({
        what: `${gateway}: config vars (the gateway's routes)`,
        check: ['heroku', 'config', '-a', gateway, '--json'],
        plan: (checked) => {
          const present = configOf(checked.output);
          const missing = upstreams.filter((app) => !(upstreamVar(app) in present));
          if (missing.length === 0) return [];
          return [{ argv: ['heroku', 'config:set', '-a', gateway, ...missing.map((app) => `${upstreamVar(app)}=${urlOf(app)}`)] }];
        },
      });
      items.push(buildpacksItem(gateway, GATEWAY_BUILDPACKS));
    }
    // With --otlp-endpoint: OTEL_EXPORTER_OTLP_* on every app (otel.js).
    return [...items, ...otelItems(apps, options.values ?? {}, configOf)];
  },
};

module.exports = provision;
