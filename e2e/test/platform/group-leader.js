// @ts-check
/**
 * The leader of one process group for the journey test: it starts each app as its own
 * child (same group), so one signal to the group reaches every app and nothing can be
 * left behind. Spawned detached by the test, it reads one JSON line on stdin:
 *   [{ "name": "users", "script": "apps/users/dist/main.js", "env": {...} }, ...]
 * App i writes its stdout to this process's fd 3 + 2i and its stderr to fd 4 + 2i (pipes
 * the test opened), so each app's output reaches the test unmixed and unbuffered here.
 * On stdout it reports `{"event":"spawn"|"exit",...}` lines, and exits once every app has.
 * If the test process dies (stdin ends), it stops the whole group itself.
 */
const { spawn } = require('node:child_process');

const KILL_AFTER_MS = 10_000;

let input = '';
let started = false;
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

/** @param {Array<{ name: string, script: string, env: Record<string, string> }>} apps */
function start(apps) {
  if (apps.length === 0 || parentGone) process.exit(0);
  apps.forEach((app, index) => {
    const child = spawn(process.execPath, [app.script], { env: app.env, stdio: ['ignore', 3 + 2 * index, 4 + 2 * index] });
    running += 1;
    report({ event: 'spawn', name: app.name, pid: child.pid });
    child.once('error', (error) => report({ event: 'error', name: app.name, message: error.message }));
    child.once('exit', (code, signal) => {
      report({ event: 'exit', name: app.name, code, signal });
      running -= 1;
      if (running === 0) process.exit(0);
    });
  });
}

// The group's SIGTERM is meant for the apps: this process stays to report how they exit.
process.on('SIGTERM', () => undefined);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  if (started) return;
  input += chunk;
  const end = input.indexOf('\n');
  if (end === -1) return;
  started = true;
  start(JSON.parse(input.slice(0, end)));
});
process.stdin.on('end', onParentGone);
process.stdin.on('error', onParentGone);
// Writing to a dead parent fails with EPIPE: that must stop the apps, not orphan them.
process.stdout.on('error', onParentGone);
process.on('uncaughtException', (error) => {
  process.stderr.write(`group leader: ${error.message}\n`);
  onParentGone();
});
