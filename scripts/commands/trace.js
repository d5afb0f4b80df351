// @ts-check
/**
 * scripts/trace <space> <request-id|trace-id> [--json]: one request's trace in a running
 * space, as a waterfall in the terminal (packages/platform/src/cli/trace.ts).
 */
const { parseCommand, usageError } = require('@bundle/args');
const { checkSpace } = require('../lib/space-name');

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  name: 'trace',
  usage: 'usage: scripts/trace <space> <request-id|trace-id> [--json]',
  about: [
    "Prints one request's spans in a running space as a waterfall: the router's, every app's, their",
    'Redis calls and the bus events they caused, each under its parent, on one time scale. The id is',
    "a response's X-Request-Id or a trace id (32 hex digits); the space keeps its recent traces.",
  ].join('\n'),
  positionals: ['<space>                the space (dev, staging, ...)', '<request-id|trace-id>  the request or trace'],
  maxPositionals: 2,
  options: { json: { type: 'boolean', doc: 'print the spans as JSON instead' } },
};

/** The same rule as TRACE_OR_REQUEST_ID in the platform's cli/trace.ts, checked before loading it. */
const ID = /^([0-9a-f]{32}|[A-Za-z0-9+/=-]{20,200})$/;

const parsed = parseCommand(process.argv.slice(2), COMMAND);
const [spaceName, id] = parsed.positionals;
if (spaceName === undefined) usageError(COMMAND, 'which space?');
if (id === undefined) usageError(COMMAND, 'which request? a request id (X-Request-Id) or a trace id');
if (!ID.test(/** @type {string} */ (id)))
  usageError(COMMAND, `"${id}" is neither a request id (20 to 200 of A-Za-z0-9+/=-) nor a trace id (32 hex digits)`);
const space = checkSpace(COMMAND, spaceName);
void require('../lib/platform')
  .platform('cli/trace')
  .main({ space, id: /** @type {string} */ (id), json: parsed.values.json === true });
