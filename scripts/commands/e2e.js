// @ts-check
/**
 * scripts/e2e: the journeys in e2e/ against a base URL, run as their own process
 * (`node e2e/src/run.js ...`, which answers --help and its arguments itself), its exit code
 * passed on. A base URL on this machine is usually a local space's router, where each app's
 * own route is a Host name (`<host>-<app>.localhost`): when neither --app-host nor --app-url
 * is given and a running space's router has the base URL's port, its --app-host is added, so
 * `scripts/e2e http://127.0.0.1:8081` checks every app's /version too.
 */
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT } = require('../lib/run');

/** The options of e2e/src/run.js that take a value (the base URL is the other word). */
const TAKE_VALUE = ['--user', '--expect-version', '--only', '--app-host', '--app-url', '--results'];

/** @param {string[]} argv */
function withLocalAppHost(argv) {
  if (argv.some((arg) => ['--app-host', '--app-url', '--list', '--help', '-h'].includes(arg))) return argv;
  const base = argv.find((arg, i) => !arg.startsWith('-') && !TAKE_VALUE.includes(argv[i - 1] ?? ''));
  if (base === undefined) return argv;
  const appHost = require('../targets/local/space').appHostAt(base);
  // First: after the user's arguments, a last option left without its value would take it.
  return appHost ? ['--app-host', appHost, ...argv] : argv;
}

const child = spawn(process.execPath, [path.join(ROOT, 'e2e', 'src', 'run.js'), ...withLocalAppHost(process.argv.slice(2))], {
  stdio: 'inherit',
});
// Ctrl-C reaches the journeys through the terminal; a signal sent to this process alone is passed on.
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? os.constants.signals[signal] : 0)));
