// @ts-check
/**
 * scripts/gateway: the Heroku gateway (docs/heroku.md), one nginx app that serves every
 * public path of manifest.yml on one host, each to its app's web URL.
 *   scripts/gateway render                        writes heroku/gateway/ from manifest.yml's routes
 *   scripts/gateway local --base B [--port N]     runs that config with this machine's nginx
 *                                                 in front of a Procfile run whose base port is B
 */
const fs = require('node:fs');
const path = require('node:path');
const { parseCommand, usageError } = require('@bundle/args');
const { ROOT } = require('../lib/run');
const preflight = require('../lib/preflight');

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  name: 'gateway',
  usage: 'usage: scripts/gateway render | scripts/gateway local --base <port> [--port <port>]',
  about:
    "The Heroku gateway: nginx serving every public path of manifest.yml on one host, each to its app.\nrender writes heroku/gateway/ (nginx.conf.erb and Procfile) from manifest.yml's routes; the bundle\ncheck fails when they are stale. local runs that same config with this machine's nginx on 127.0.0.1\nin front of a Procfile run (heroku local -p <base>, foreman) until Ctrl-C, and prints its address first.",
  positionals: ['render   write the generated files', 'local    run them locally'],
  maxPositionals: 1,
  options: {
    base: { type: 'string', value: '<port>', doc: "local: the Procfile run's base port (its first line's PORT; heroku local: 5006)" },
    port: { type: 'string', value: '<port>', doc: 'local: the port nginx listens on (default: a free one, printed first)' },
  },
};

/** One line (or a few: an install hint) on stderr, exit 1. @param {string} message @returns {never} */
function fail(message) {
  process.stderr.write(`gateway: ${message}\n`);
  return process.exit(1);
}

/** A port number from an option, or the usage line and one line. @param {string} name @param {unknown} value */
function portOption(name, value) {
  if (typeof value !== 'string') return undefined;
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(port >= 1 && port <= 65535)) return usageError(COMMAND, `--${name} ${value}: a port number from 1 to 65535`);
  return port;
}

/** A generator failure (GatewayError, a broken manifest) as one line; anything else is a bug and throws. @param {unknown} error @returns {never} */
const generatorFailure = (error) => fail(require('../targets/heroku/gateway/files').oneLine(error));

async function main() {
  const { values, positionals } = parseCommand(process.argv.slice(2), COMMAND);
  const verb = positionals[0];
  if (verb === undefined) return usageError(COMMAND, 'name what to do: render or local');
  if (verb !== 'render' && verb !== 'local') return usageError(COMMAND, `unknown verb ${verb} (render or local)`);
  if (verb === 'render') {
    const given = ['base', 'port'].find((name) => values[name] !== undefined);
    if (given) return usageError(COMMAND, `--${given} is for scripts/gateway local`);
    const { writeGateway } = require('../targets/heroku/gateway/files');
    let written;
    try {
      written = writeGateway(ROOT);
    } catch (error) {
      return generatorFailure(error);
    }
    process.stdout.write(written.length > 0 ? `gateway: wrote ${written.join(', ')}\n` : 'gateway: heroku/gateway/ is up to date\n');
    return;
  }
  const base = portOption('base', values.base);
  if (base === undefined) return usageError(COMMAND, "local needs --base, the Procfile run's base port (heroku local: 5006)");
  const port = portOption('port', values.port);

  // What a fresh machine lacks, in the first second (before any TypeScript loads).
  const nginx = preflight.nginxPath(process.env);
  if (nginx === undefined) {
    const lines = preflight.installLines(['nginx']);
    fail(`nginx is not installed; install it with\n${lines.join('\n')}\n  (or set NGINX_PATH to an nginx binary)`);
  }
  const { staleGateway } = require('../targets/heroku/gateway/files');
  const { gatewayRoutes } = require('../targets/heroku/gateway/routes');
  const { CONFIG_FILE } = require('../targets/heroku/gateway/config');
  const { procfileUpstreams, runGateway } = require('../targets/heroku/gateway/local');
  // The committed file is what Heroku runs: it runs here only when it is what the manifest gives.
  const stale = staleGateway(ROOT);
  if (stale.length > 0) fail(stale[0] ?? '');
  let routes;
  try {
    routes = gatewayRoutes(ROOT);
  } catch (error) {
    return generatorFailure(error);
  }
  const procfile = path.resolve(ROOT, process.env.PROCFILE ?? 'Procfile');
  const upstreams = procfileUpstreams(fs.readFileSync(procfile, 'utf8'), base, routes);
  if (typeof upstreams === 'string') fail(upstreams);
  process.exitCode = await runGateway({
    nginx,
    template: fs.readFileSync(path.join(ROOT, CONFIG_FILE), 'utf8'),
    upstreams,
    routes,
    ...(port === undefined ? {} : { port }),
    out: (line) => process.stdout.write(`${line}\n`),
    problem: (line) => process.stderr.write(`gateway: ${line}\n`),
  });
}

void main();
