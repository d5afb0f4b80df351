// @ts-check
/** scripts/status [space] [--json]: a running space of the local platform (packages/platform/src/cli/status.ts). */
const { parseCommand } = require('@bundle/args');
const { checkSpace } = require('../lib/space-name');

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  name: 'status',
  usage: 'usage: scripts/status [space] [--json]',
  about: "A running space's apps, instances, ports, health, version and memory (like cf apps and cf app).",
  positionals: ['[space]  the space (default dev)'],
  maxPositionals: 1,
  options: { json: { type: 'boolean', doc: 'the whole status as JSON' } },
};

const parsed = parseCommand(process.argv.slice(2), COMMAND);
const space = checkSpace(COMMAND, parsed.positionals[0]);
void require('../lib/platform')
  .platform('cli/status')
  .main({ space, json: parsed.values.json === true });
