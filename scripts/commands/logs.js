// @ts-check
/**
 * scripts/logs [space] [app] [--json] [--recent] [--request id] [--level level] [--since duration]:
 * a running space's merged logs, like cf logs (packages/platform/src/cli/logs.ts; the
 * platform checks the filter's values, logFilter).
 */
const { parseCommand, lastString, usageError } = require('@bundle/args');
const { checkSpace } = require('../lib/space-name');

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  name: 'logs',
  usage: 'usage: scripts/logs [space] [app] [--json] [--recent] [--request id] [--level level] [--since duration]',
  about: "Follows a running space's merged logs, like cf logs (pretty at a terminal).",
  positionals: ['[space]  the space (default dev)', '[app]    only this app'],
  maxPositionals: 2,
  options: {
    json: { type: 'boolean', doc: 'one JSON object a line ({time, app, source, stream, line}), for a program to read' },
    recent: { type: 'boolean', doc: 'print what is buffered and exit instead of following' },
    request: {
      type: 'string',
      value: 'id',
      doc: "only the router's and the apps' lines of this request (a response's X-Request-Id), in time order; implies --recent",
    },
    level: { type: 'string', value: 'level', doc: 'only lines at this level or above (trace, debug, info, warn, error, fatal)' },
    since: { type: 'string', value: 'duration', doc: 'only lines of the last 30s, 10m, 2h, 1d' },
  },
};

const parsed = parseCommand(process.argv.slice(2), COMMAND);
const [spaceName, app] = parsed.positionals;
const space = checkSpace(COMMAND, spaceName);
const logs = require('../lib/platform').platform('cli/logs');
const request = lastString(parsed, 'request');
const filter = logs.logFilter({ app, request, level: lastString(parsed, 'level'), since: lastString(parsed, 'since') });
if (typeof filter === 'string') usageError(COMMAND, filter);
void logs.main({
  space,
  ...(app ? { app } : {}),
  json: parsed.values.json === true,
  recent: parsed.values.recent === true || request !== undefined,
  filter,
});
