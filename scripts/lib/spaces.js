// @ts-check
/**
 * Where the pipeline finds each space, per target:
 *   local   the platform's router on this machine (http://127.0.0.1:<router port>), each
 *           app's /version through its own host name (`<host>-{app}.localhost`, Host header);
 *   cf      vars/<space>.yml public_url; apps' own routes follow from its host name;
 *   heroku  heroku.json "public_urls" (a path-routing front, docs/heroku.md); each app's
 *           /version on its own web URL (heroku.json web_urls, heroku apps:info, else
 *           https://<app>.herokuapp.com; lib/push-heroku.js).
 * E2E_<SPACE>_URL (and E2E_<SPACE>_APP_URL, a template with {app}) beat all of these.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./run');
const { readVars, varsFile } = require('./manifest-routes');
const { ensureRunning, routerPort } = require('./local-space');
const { parseJsonFile } = require('./project-files');

/**
 * Brings a local space up when it is not running; other targets need nothing.
 * @param {string} target @param {string} space @returns {Promise<string | undefined>}
 */
async function ensure(target, space) {
  if (target !== 'local') return undefined;
  if (!fs.existsSync(varsFile(space))) return `unknown space "${space}": there is no vars/${space}.yml`;
  return ensureRunning(space, (line) => process.stdout.write(`pipeline: ${line}\n`));
}

/**
 * The base URL and extra scripts/e2e arguments for a space.
 * @param {string} target @param {string} space
 * @returns {Promise<{ base: string, args: string[] } | { problem: string }>}
 */
async function e2eTarget(target, space) {
  const key = `E2E_${space.toUpperCase()}`;
  const appUrl = process.env[`${key}_APP_URL`];
  const extra = appUrl ? ['--app-url', appUrl] : [];
  const given = process.env[`${key}_URL`];
  // Heroku apps each have their own host: /version is asked there unless told otherwise.
  if (given)
    return { base: given, args: target === 'heroku' && !appUrl ? ['--app-url', require('./push-heroku').appUrlArg(space)] : extra };
  if (target === 'local') {
    const host = readVars(space).host;
    return { base: `http://127.0.0.1:${routerPort(space)}`, args: appUrl ? extra : ['--app-host', `${host}-{app}.localhost`] };
  }
  if (target === 'cf') {
    const url = readVars(space).public_url;
    return typeof url === 'string' ? { base: url, args: extra } : { problem: `vars/${space}.yml has no public_url (or set ${key}_URL)` };
  }
  const config = parseJsonFile(path.join(ROOT, 'heroku.json'));
  const url = config.public_urls?.[space];
  const appUrls = appUrl ? extra : ['--app-url', require('./push-heroku').appUrlArg(space)];
  return typeof url === 'string'
    ? { base: url, args: appUrls }
    : { problem: `heroku.json has no public_urls.${space} (or set ${key}_URL)` };
}

module.exports = { ensure, e2eTarget };
