// @ts-check
/**
 * `scripts/create-service <space> <name>` on the local platform: the running space provides
 * the binding from then on (packages/platform/src/local/services.ts), so a push of an app that
 * binds it works without restarting the space. A name of the marketplace
 * (packages/platform/services.yml) is what it says there; any other is a Redis (the local
 * offering), kept in .local/<space>/services.json so the space binds it after a restart too.
 */
const { LOCAL, ask } = require('./ask');

/** @type {import('../types').CreateServiceTarget} */
const createService = {
  ...LOCAL,
  async createService(space, name) {
    return (await ask(space, 'POST', '/services', { name })).result;
  },
};

module.exports = createService;
