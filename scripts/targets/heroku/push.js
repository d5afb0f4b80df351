// @ts-check
/**
 * `scripts/push <space> --target heroku` (docs/heroku.md): one Heroku app per bundle app
 * per space, names from heroku.json. Staging gets the commit by `git push` to each app
 * (each builds the monorepo and picks its Procfile by the PROCFILE config var); production
 * is `heroku pipelines:promote` of the staging app, so it runs the very slug staging tested.
 * The space's gateway (heroku.json "gateway") goes after the apps, so its routes never reach
 * an app older than the client it serves: its source is heroku/gateway/ alone (`git subtree
 * push`: the nginx buildpack builds from that folder's Procfile and config/nginx.conf.erb),
 * and production promotes it like the apps. On Fir (heroku.json "generation": "fir") each app
 * is built from a source archive of its own (fir-build.js); the gateway stays a Cedar app
 * (its nginx buildpack is a classic one), outside the Fir pipeline, and each space's gateway
 * gets heroku/gateway/ pushed.
 */
const fs = require('node:fs');
const { onPath, firstLine } = require('../../lib/steps');
const { CONFIG, appsOf, gatewayOf, generationOf, webUrl } = require('./apps');
const { GATEWAY_DIR } = require('./gateway/config');

/** @typedef {import('../types').PushTarget} PushTarget */

/** Production is promoted from this space. */
const UPSTREAM = { production: 'staging' };

/** @type {PushTarget} */
const push = {
  check(space) {
    if (!fs.existsSync(CONFIG)) return 'heroku.json is missing: it names the Heroku app of each bundle app per space (docs/heroku.md)';
    if (Object.keys(appsOf(space)).length === 0) return `unknown space "${space}": heroku.json names no apps for it`;
    const generation = generationOf();
    if ('problem' in generation) return generation.problem;
    const upstream = /** @type {Record<string, string>} */ (UPSTREAM)[space];
    if (upstream) {
      const missing = Object.keys(appsOf(space)).filter((app) => !appsOf(upstream)[app]);
      if (missing.length > 0) return `heroku.json: ${space} is promoted from ${upstream}, which has no app for ${missing.join(', ')}`;
      if (gatewayOf(space) && !gatewayOf(upstream))
        return `heroku.json: ${space} is promoted from ${upstream}, which has no gateway (gateway.${upstream})`;
    }
    return undefined;
  },
  preflight() {
    return {
      missing: onPath('heroku')
        ? undefined
        : 'heroku is not installed: install the Heroku CLI (https://devcenter.heroku.com/articles/heroku-cli) or use --target local',
      step: { argv: ['heroku', 'auth:whoami'], why: 'heroku auth:whoami', quiet: true },
      failure: (output) => `heroku is not logged in: run heroku login or set HEROKU_API_KEY (heroku says: ${firstLine(output)})`,
    };
  },
  // Heroku builds on its side; the local build is still the gate that stops a broken commit.
  // A promotion builds nothing: it moves the slug staging tested.
  builds: (space) => !(/** @type {Record<string, string>} */ (UPSTREAM)[space]),
  steps(space) {
    const upstream = /** @type {Record<string, string>} */ (UPSTREAM)[space];
    const gateway = gatewayOf(space);
    const fir = 'space' in generationOf();
    const gatewayPush = gateway
      ? [
          {
            argv: ['git', 'subtree', 'push', '--prefix', GATEWAY_DIR, `https://git.heroku.com/${gateway}.git`, 'HEAD:main'],
            why: `pushing the gateway to ${gateway} failed (see above)`,
          },
        ]
      : [];
    if (upstream && fir) {
      const from = appsOf(upstream);
      return [
        ...Object.entries(appsOf(space)).map(([app, name]) => ({
          argv: ['heroku', 'pipelines:promote', '-a', /** @type {string} */ (from[app]), '--to', name],
          why: `promoting ${app} to ${name} failed (see above)`,
        })),
        ...gatewayPush,
      ];
    }
    if (fir)
      return [
        ...Object.entries(appsOf(space)).map(([app, name]) => ({
          argv: ['node', 'scripts/targets/heroku/fir-build.js', app, name],
          why: `building ${app} on ${name} failed (see above)`,
        })),
        ...gatewayPush,
      ];
    if (upstream) {
      const upstreamGateway = gatewayOf(upstream);
      /** @type {Record<string, string>} */
      const from = { ...appsOf(upstream), ...(upstreamGateway ? { gateway: upstreamGateway } : {}) };
      return Object.entries({ ...appsOf(space), ...(gateway ? { gateway } : {}) }).map(([app, name]) => ({
        argv: ['heroku', 'pipelines:promote', '-a', /** @type {string} */ (from[app]), '--to', name],
        why: `promoting ${app} to ${name} failed (see above)`,
      }));
    }
    return [
      ...Object.entries(appsOf(space)).map(([app, name]) => ({
        argv: ['git', 'push', `https://git.heroku.com/${name}.git`, 'HEAD:refs/heads/main'],
        why: `pushing ${app} to ${name} failed (see above)`,
      })),
      ...gatewayPush,
    ];
  },
  async versionTargets(space) {
    return Object.entries(appsOf(space)).map(([app, name]) => ({ app, url: webUrl(name, true) }));
  },
};

module.exports = push;
