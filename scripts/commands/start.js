// @ts-check
/**
 * scripts/start [space] [--json] [--detach] [--var name=value]... [--vars-file file]... [--manifest file]
 * Brings up a space of the local platform (packages/platform/README.md). Its arguments are
 * answered here, before anything is built (the apps' build can take a minute); then the
 * bundle is built when it changed, and the platform's supervisor runs in this process
 * (packages/platform/src/cli/start.ts; with --detach, this command again in the background).
 */
process.env.PLATFORM_T0 = process.env.PLATFORM_T0 ?? String(Date.now());
const fs = require('node:fs');
const path = require('node:path');
const { parseCommand, strings, lastString, usageError, varsOf } = require('@bundle/args');
const { checkSpace } = require('../lib/space-name');

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  name: 'start',
  usage: 'usage: scripts/start [space] [--json] [--detach] [--var name=value]... [--vars-file file]... [--manifest file]',
  about: 'Brings up a space: its Redis, its router and every app of the manifest; Ctrl-C or scripts/stop stops it.',
  positionals: ['[space]  dev (default, port 8080), staging (8081), production (8082) or any name'],
  maxPositionals: 1,
  options: {
    json: { type: 'boolean', doc: 'the logs as JSON lines, even at a terminal' },
    detach: { type: 'boolean', doc: 'run in the background (output in .local/<space>/supervisor.log)' },
    var: {
      type: 'string',
      multiple: true,
      value: 'name=value',
      doc: "a manifest variable, beating the vars files (like cf push --var); router_port picks the router's port",
    },
    'vars-file': { type: 'string', multiple: true, value: 'file', doc: 'vars files instead of vars/<space>.yml' },
    manifest: { type: 'string', value: 'file', doc: 'another manifest than manifest.yml' },
  },
};

/** @param {string[]} argv @returns {import('../../packages/platform/src/cli/start').StartArgs} */
function parse(argv) {
  const parsed = parseCommand(argv, COMMAND);
  const vars = varsOf(COMMAND, strings(parsed, 'var'));
  // --var router_port beats ROUTER_PORT and the vars file, as every --var beats the files.
  /** @type {number | undefined} */
  let routerPort;
  if (vars.router_port !== undefined) {
    routerPort = Number(vars.router_port);
    if (vars.router_port === '' || !Number.isInteger(routerPort) || routerPort < 0 || routerPort > 65535)
      usageError(COMMAND, `--var router_port=${vars.router_port}: expected a port number (0-65535)`);
  }
  const varsFiles = strings(parsed, 'vars-file').map((file) => path.resolve(file));
  const manifestFile = lastString(parsed, 'manifest');
  // Named now: the space would first complain of what it reads before the manifest (its router port).
  for (const [option, file] of [
    ...varsFiles.map((file) => ['--vars-file', file]),
    ...(manifestFile ? [['--manifest', manifestFile]] : []),
  ]) {
    if (!fs.existsSync(/** @type {string} */ (file))) usageError(COMMAND, `${option} ${file}: no such file`);
  }
  return {
    space: checkSpace(COMMAND, parsed.positionals[0]),
    json: parsed.values.json === true,
    detach: parsed.values.detach === true,
    vars,
    ...(varsFiles.length > 0 ? { varsFiles } : {}),
    ...(manifestFile ? { manifestFile: path.resolve(manifestFile) } : {}),
    ...(routerPort !== undefined ? { routerPort } : {}),
  };
}

async function main() {
  const args = parse(process.argv.slice(2));
  const { ensureBuilt, built } = require('../lib/platform');
  await ensureBuilt();
  await built('cli/start').main(args);
}

void main();
