// @ts-check
/**
 * scripts/e2e: the journeys in e2e/ against a base URL (see e2e/src/run.js for options).
 * A base URL on this machine is usually a local space's router, where each app's own
 * route is a Host name (`<host>-<app>.localhost`): when neither --app-host nor --app-url is
 * given and a running space's router has the base URL's port, its --app-host is added, so
 * `scripts/e2e http://127.0.0.1:8081` checks every app's /version too.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./run');
const { readVars, varsFile } = require('./manifest-routes');
const { runningState } = require('./local-space');

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
/** The options of e2e/src/run.js that take a value (the base URL is the other word). */
const TAKE_VALUE = ['--user', '--expect-version', '--only', '--app-host', '--app-url', '--results'];

/**
 * The --app-host of the running local space whose router answers at `base`, if any.
 * @param {string | undefined} base @returns {string | undefined}
 */
function localAppHost(base) {
  let url;
  try {
    url = new URL(base ?? '');
  } catch {
    return undefined;
  }
  if (!LOCAL_HOSTS.includes(url.hostname)) return undefined;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const folder = path.join(ROOT, '.local');
  const spaces = fs.existsSync(folder) ? fs.readdirSync(folder) : [];
  for (const space of spaces) {
    if (runningState(space)?.router_port !== port) continue;
    // A space may run on other vars files (--vars-file): without vars/<space>.yml there is nothing to add.
    if (!fs.existsSync(varsFile(space))) continue;
    const host = readVars(space).host;
    if (typeof host === 'string') return `${host}-{app}.localhost`;
  }
  return undefined;
}

/** @param {string[]} argv */
function withLocalAppHost(argv) {
  if (argv.some((arg) => ['--app-host', '--app-url', '--list'].includes(arg))) return argv;
  const base = argv.find((arg, i) => !arg.startsWith('-') && !TAKE_VALUE.includes(argv[i - 1] ?? ''));
  const appHost = localAppHost(base);
  // First: after the user's arguments, a last option left without its value would take it.
  return appHost ? ['--app-host', appHost, ...argv] : argv;
}

process.argv = [...process.argv.slice(0, 2), ...withLocalAppHost(process.argv.slice(2))];
require('../../e2e/src/run');
