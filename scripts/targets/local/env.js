// @ts-check
/**
 * `scripts/env <space> <app>` on the local platform: the environment the app's instance runs
 * with, as the running space started it (packages/platform/src/local/app-env.ts), the
 * platform's variables (VCAP_SERVICES, VCAP_APPLICATION, PORT, ...) included; the command masks it.
 */
const { LOCAL, ask } = require('./ask');

/** @type {import('../types').EnvTarget} */
const env = {
  ...LOCAL,
  async env(space, app) {
    return (await ask(space, 'GET', `/env?app=${encodeURIComponent(app)}`)).env;
  },
};

module.exports = env;
