// @ts-check
/**
 * `scripts/push <space> --target heroku` (docs/heroku.md): one Heroku app per bundle app
 * per space, names from heroku.json. Staging gets the commit by `git push` to each app
 * (each builds the monorepo and picks its Procfile by the PROCFILE config var); production
 * is `heroku pipelines:promote` of the staging app, so it runs the very slug staging tested.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT } = require('./run');
const { onPath } = require('./steps');
const { firstLine } = require('./push-cf');
const { parseJsonFile } = require('./project-files');

/** @typedef {import('./push').Target} Target */

const CONFIG = path.join(ROOT, 'heroku.json');
/** Production is promoted from this space. */
const UPSTREAM = { production: 'staging' };

/** @returns {Record<string, unknown>} */
function readConfig() {
  return parseJsonFile(CONFIG);
}

/** @param {string} space @returns {Record<string, string>} bundle app -> Heroku app */
function appsOf(space) {
  const apps = readConfig()[space];
  return apps && typeof apps === 'object' ? /** @type {Record<string, string>} */ (apps) : {};
}

/**
 * An app's web URL: heroku.json "web_urls" when it names one, else (with `ask`, and the
 * Heroku CLI at hand) what `heroku apps:info` says (apps created since 2023 have a random
 * suffix in their host), else https://<name>.herokuapp.com.
 * @param {string} name @param {boolean} ask
 */
function webUrl(name, ask) {
  const configured = /** @type {Record<string, unknown>} */ (readConfig().web_urls ?? {})[name];
  if (typeof configured === 'string') return configured.replace(/\/$/, '');
  if (ask && onPath('heroku')) {
    const info = spawnSync('heroku', ['apps:info', '-a', name, '--json'], { encoding: 'utf8' });
    try {
      const url = info.status === 0 ? JSON.parse(info.stdout).app?.web_url : undefined;
      if (typeof url === 'string') return url.replace(/\/$/, '');
    } catch {
      // not JSON: fall through to the default host
    }
  }
  return `https://${name}.herokuapp.com`;
}

/**
 * scripts/e2e's --app-url for a space: each app's own web URL, where its /version answers.
 * @param {string} space
 */
const appUrlArg = (space) =>
  Object.entries(appsOf(space))
    .map(([app, name]) => `${app}=${webUrl(name, true)}`)
    .join(',');

/** @type {Target} */
const heroku = {
  name: 'heroku',
  validate(space) {
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

module.exports = { heroku, readConfig, appsOf, webUrl, appUrlArg };
