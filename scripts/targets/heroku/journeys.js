// @ts-check
/**
 * Where the pipeline's journeys find a space on Heroku: heroku.json "public_urls" when it
 * names one (a custom domain on the gateway, say), else the web URL of the space's gateway
 * app, which serves every public path on one host (docs/heroku.md); each app's /version on
 * its own web URL (heroku.json web_urls, heroku apps:info, else https://<app>.herokuapp.com; apps.js).
 */
const { readConfig, appUrlArg, gatewayOf, webUrl } = require('./apps');

/** @type {import('../types').JourneysTarget} */
const journeys = {
  async where(space, given) {
    // Each app has a host of its own: /version is asked there unless told otherwise.
    const args = given.appUrlArgs.length > 0 ? given.appUrlArgs : ['--app-url', appUrlArg(space)];
    if (given.base) return { base: given.base, args };
    const url = /** @type {Record<string, unknown>} */ (readConfig().public_urls ?? {})[space];
    if (typeof url === 'string') return { base: url, args };
    const gateway = gatewayOf(space);
    return gateway
      ? { base: webUrl(gateway, true), args }
      : { problem: `heroku.json names no gateway.${space} nor public_urls.${space} (or set ${given.variable})` };
  },
};

module.exports = journeys;
