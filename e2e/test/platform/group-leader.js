// @ts-check
/**
 * The leader of one process group for the journey test: it starts each app as its own
 * child (same group), so one signal to the group reaches every app and nothing can be
 * left behind. Spawned detached by the test, it reads JSON lines on stdin, the first the
 * number of apps the group will have, then one per app, when the test wants it started (an
 * app may need the port another reported first):
 *   {"apps": 6}
 *   {"index": 0, "name": "users", "script": "apps/users/dist/main.js", "env": {...}}
 * App i writes its stdout to this process's fd 3 + 2i and its stderr to fd 4 + 2i (pipes
 * the test opened), so each app's output reaches the test unmixed and unbuffered here.
 * On stdout it reports `{"event":"spawn"|"exit",...}` lines, and exits once every app has
 * started and exited.
 * If the test process dies (stdin ends), it stops the whole group itself.
 */
const { spawn } = require('node:child_process');

const KILL_AFTER_MS = 10_000;

let input = '';
/** How many apps the group will have (the first line), and how many have started. */
let expected = Infinity;
let started = 0;
let running = 0;
let parentGone = false;

/** @param {Record<string, unknown>} record */
function report(record) {
  if (!parentGone) process.stdout.write(`${JSON.stringify(record)}\n`);
}

/** SIGTERM to every member (this process ignores it), SIGKILL to what is left after a while. */
function stopGroup() {
  if (running === 0) process.exit(0);
  signalGroup('SIGTERM');
  setTimeout(() => signalGroup('SIGKILL'), KILL_AFTER_MS);
}

/** The test process is gone: nobody reads the reports any more, and the apps must go too. */
function onParentGone() {
  if (parentGone) return;
  parentGone = true;
  stopGroup();
}

/** @param {NodeJS.Signals} signal */
function signalGroup(signal) {
  try {
    process.kill(-process.pid, signal);
  } catch {
    // ESRCH: the group is already empty
  }
}

/** @param {{ index: number, name: string, script: string, env: Record<string, string> }} app */
function start(app) {
  if (parentGone) return;
  const child = spawn(process.execPath, [app.script], { env: app.env, stdio: ['ignore', 3 + 2 * app.index, 4 + 2 * app.index] });
  started += 1;
  running += 1;
  report({ event: 'spawn', name: app.name, pid: child.pid });
  child.once('error', (error) => report({ event: 'error', name: app.name, message: error.message }));
  child.once('exit', (code, signal) => {
    report({ event: 'exit', name: app.name, code, signal });
    running -= 1;
    if (running === 0 && started >= expected) process.exit(0);
  });
}

/** @param {string} line */
function onLine(line) {
  const message = JSON.parse(line);
  if (typeof message.apps === 'number') {
    // Also sent again by a test that stops before starting them all: no more will come.
    expected = message.apps;
    if (running === 0 && started >= expected) process.exit(0);
  } else start(message);
}

// The group's SIGTERM is meant for the apps: this process stays to report how they exit.
process.on('SIGTERM', () => undefined);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  input += chunk;
  for (let end = input.indexOf('\n'); end !== -1; end = input.indexOf('\n')) {
    const line = input.slice(0, end);
    input = input.slice(end + 1);
    if (line.trim() !== '') onLine(line);
  }
});
process.stdin.on('end', onParentGone);
process.stdin.on('error', onParentGone);
// Writing to a dead parent fails with EPIPE: that must stop the apps, not orphan them.
process.stdout.on('error', onParentGone);
process.on('uncaughtException', (error) => {
  process.stderr.write(`group leader: ${error.message}\n`);
  onParentGone();
});
