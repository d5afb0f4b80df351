// @ts-check
/**
 * `scripts/run-task <space> <app> -- <command...>` on the local platform: the running space's
 * supervisor starts `bash -c <command>` in the app's folder with the environment and bindings
 * its instances run with (VCAP_SERVICES, VCAP_APPLICATION, the app's env), as cf runs a task
 * beside an app's instances. Its lines come here as it writes them (stdout to stdout, stderr
 * to stderr) and go to scripts/logs as [APP/TASK/<name>/0]; its exit code is the result.
 * Ctrl-C here ends the task (the supervisor sends its process group SIGTERM).
 */
const { LOCAL, askStream } = require('./ask');

/** @type {import('../types').RunTaskTarget} */
const runTask = {
  ...LOCAL,
  async runTask(space, task, io) {
    io.say(`task ${task.name} of ${task.app} in ${space}: ${task.line}`);
    let exit = -1;
    await askStream(space, '/tasks', { app: task.app, name: task.name, line: task.line }, (object) => {
      if (object.record) (object.record.stream === 'ERR' ? process.stderr : process.stdout).write(`${object.record.line}\n`);
      if (typeof object.exit === 'number') exit = object.exit;
    });
    // The answer ended without an exit code: the supervisor stopped on the way.
    return exit === -1 ? 1 : exit;
  },
};

module.exports = runTask;
