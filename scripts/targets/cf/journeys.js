// @ts-check
/** Where the pipeline's journeys find a space on Cloud Foundry: vars/<space>.yml's public_url; each app's own route follows from its host name. */
const { readVars } = require('../../lib/manifest');

/** @type {import('../../commands/pipeline').JourneysTarget} */
const journeys = {
  async where(space, given) {
    if (given.base) return { base: given.base, args: given.appUrlArgs };
    const url = readVars(space).public_url;
    return typeof url === 'string'
      ? { base: url, args: given.appUrlArgs }
      : { problem: `vars/${space}.yml has no public_url (or set ${given.variable})` };
  },
};

module.exports = journeys;
