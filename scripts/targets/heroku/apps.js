// @ts-check
/**
 * heroku.json: the Heroku app of each bundle app per space (docs/heroku.md), and where each
 * of those apps answers.
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT } = require('../../lib/run');
const { onPath } = require('../../lib/steps');
const { parseJsonFile } = require('../../lib/project-files');

const CONFIG = path.join(ROOT, 'heroku.json');

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
 * The generation the bundle's apps run on (heroku.json "generation"): "cedar" (the default:
 * classic buildpacks, a git push per app) or "fir" (Cloud Native Buildpacks, a source archive
 * per app built through the Build API, the apps in the Fir private space heroku.json "space"
 * names; docs/heroku.md). Anything else is the one line to print.
 * @returns {{ generation: 'cedar' } | { generation: 'fir', space: string } | { problem: string }}
 */
function generationOf() {
  const config = readConfig();
  const generation = config.generation ?? 'cedar';
  if (generation === 'cedar') return { generation };
  if (generation !== 'fir') return { problem: `heroku.json: generation is "cedar" or "fir", not ${JSON.stringify(generation)}` };
  if (typeof config.space !== 'string' || config.space === '')
    return {
      problem: 'heroku.json: generation "fir" needs "space", the Fir private space the apps run in (heroku spaces:create --generation fir)',
    };
  return { generation, space: config.space };
}

/**
 * The space's gateway app (heroku.json "gateway"): the Heroku app that serves every public
 * path on one host (scripts/gateway, docs/heroku.md). @param {string} space @returns {string | undefined}
 */
function gatewayOf(space) {
  const gateway = /** @type {Record<string, unknown>} */ (readConfig().gateway ?? {})[space];
  return typeof gateway === 'string' ? gateway : undefined;
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

module.exports = { CONFIG, readConfig, appsOf, gatewayOf, generationOf, webUrl, appUrlArg };
