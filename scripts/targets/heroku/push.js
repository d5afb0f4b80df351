// @ts-check
/**
 * `scripts/push <space> --target heroku` (docs/heroku.md): one Heroku app per bundle app
 * per space, names from heroku.json. Staging gets the commit by `git push` to each app
 * (each builds the monorepo and picks its Procfile by the PROCFILE config var); production
 * is `heroku pipelines:promote` of the staging app, so it runs the very slug staging tested.
 */
const fs = require('node:fs');
const { onPath, firstLine } = require('../../lib/steps');
const { CONFIG, appsOf, webUrl } = require('./apps');

/** @typedef {import('../types').PushTarget} PushTarget */

/** Production is promoted from this space. */
const UPSTREAM = { production: 'staging' };

/** @type {PushTarget} */
const push = {
  check(space) {
    if (!fs.existsSync(CONFIG)) return 'heroku.json is missing: it names the Heroku app of each bundle app per space (docs/heroku.md)';
    if (Object.keys(appsOf(space)).length === 0) return `unknown space "${space}": heroku.json names no apps for it`;
    const upstream = /** @type {Record<string, string>} */ (UPSTREAM)[space];
    if (upstream) {
      const missing = Object.keys(appsOf(space)).filter((app) => !appsOf(upstream)[app]);
      if (missing.length > 0) return `heroku.json: ${space} is promoted from ${upstream}, which has no app for ${missing.join(', ')}`;
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
    if (upstream) {
      const from = appsOf(upstream);
      return Object.entries(appsOf(space)).map(([app, name]) => ({
        argv: ['heroku', 'pipelines:promote', '-a', /** @type {string} */ (from[app]), '--to', name],
        why: `promoting ${app} to ${name} failed (see above)`,
      }));
    }
    return Object.entries(appsOf(space)).map(([app, name]) => ({
      argv: ['git', 'push', `https://git.heroku.com/${name}.git`, 'HEAD:refs/heads/main'],
      why: `pushing ${app} to ${name} failed (see above)`,
    }));
  },
  async versionTargets(space) {
    return Object.entries(appsOf(space)).map(([app, name]) => ({ app, url: webUrl(name, true) }));
  },
};

module.exports = push;
