// @ts-check
/** scripts/stop [space]: stops a running space of the local platform (packages/platform/src/cli/stop.ts). */
const { parseCommand } = require('@bundle/args');
const { checkSpace } = require('../lib/space-name');

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  name: 'stop',
  usage: 'usage: scripts/stop [space]',
  about: 'Stops a running space: every instance drains, then the router and its Redis.',
  positionals: ['[space]  the space (default dev)'],
  maxPositionals: 1,
  options: {},
};

const space = checkSpace(COMMAND, parseCommand(process.argv.slice(2), COMMAND).positionals[0]);
void require('../lib/platform').platform('cli/stop').main(space);
